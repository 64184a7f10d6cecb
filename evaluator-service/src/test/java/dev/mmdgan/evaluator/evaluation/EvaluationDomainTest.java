package dev.mmdgan.evaluator.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmdgan.api.v1.CheckpointPublished;
import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.api.v1.DecisionKind;
import dev.mmdgan.api.v1.Evaluation;
import dev.mmdgan.api.v1.EvaluationCompleted;
import dev.mmdgan.api.v1.LearningRateDecaySpec;
import dev.mmdgan.api.v1.LearningRateDecision;
import dev.mmdgan.core.kid.KidReference;
import dev.mmdgan.core.kid.KidResult;
import dev.mmdgan.engine.data.Moons;
import dev.mmdgan.engine.model.GeneratorModel;
import dev.mmdgan.evaluator.MoonsCheckpoints;
import dev.mmdgan.evaluator.storage.EvaluationStore;
import dev.mmdgan.service.events.EventIds;
import dev.mmdgan.service.events.InMemoryEventPublisher;
import dev.mmdgan.service.storage.InMemoryBlobStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation loop and the learning-rate rule on in-memory fakes: what is stored and published, deduplication,
 * out-of-order events, the bounded queue, restart continuity and exactly-once decay.
 */
@Timeout(300)
class EvaluationDomainTest {

    @TempDir
    static Path shared;

    @TempDir
    Path work;

    static MoonsCheckpoints moons;

    @BeforeAll
    static void train() {
        moons = new MoonsCheckpoints(shared);
    }

    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final InMemoryEventPublisher events = new InMemoryEventPublisher();

    private static String run() {
        return UUID.randomUUID().toString();
    }

    private static CheckpointPublished event(CheckpointRef ref) {
        return CheckpointPublished.newBuilder().setCheckpoint(ref)
                .setHeader(EventIds.header(ref.getRunId(), ref.getGeneratorStep(), "checkpoint", "test")).build();
    }

    private Evaluation evaluate(InMemoryEvaluator e, CheckpointRef ref) throws InterruptedException {
        return e.evaluations.evaluate(e.evaluations.forEvent(ref, event(ref).getHeader().getEventId(), RunPolicy.defaults(e.evaluations.settings()))).orElseThrow();
    }

    private List<LearningRateDecision> decisions(String run) {
        return events.on("decisions", run, LearningRateDecision.class);
    }

    @Test
    void anEvaluationIsStoredWithItsPictureAndPublished() throws Exception {
        InMemoryEvaluator e = new InMemoryEvaluator(blobs, events, work);
        String run = run();
        CheckpointRef ref = moons.upload(e.checkpoints, run, 100);

        Evaluation ev = evaluate(e, ref);

        assertThat(ev.getKid().getFeatureNetwork()).isEqualTo("raw-2d");
        assertThat(ev.getKid().getSubsets()).isEqualTo(10);
        assertThat(ev.getKid().getSubsetSize()).isEqualTo(100);
        assertThat(ev.getKid().getNFake()).isEqualTo(400);
        assertThat(ev.getKid().getNReal()).isEqualTo(1000);
        assertThat(ev.getDecision()).isEqualTo(DecisionKind.DECISION_KIND_WARMUP);
        assertThat(ev.getPictureKey()).isEqualTo("runs/" + run + "/evaluations/100/samples.png");
        assertThat(ev.getCheckpoint().getManifestSha256()).isEqualTo(ref.getManifestSha256());
        assertThat(ev.getProvenance().getDataset()).isEqualTo(moons.datasetIdentity());
        assertThat(ImageIO.read(new java.io.ByteArrayInputStream(blobs.get(ev.getPictureKey())))).isNotNull();
        assertThat(Evaluation.parseFrom(blobs.get(EvaluationStore.evaluationKey(run, 100)))).isEqualTo(ev);
        assertThat(blobs.exists(EvaluationStore.progressKey(run))).isTrue();
        List<EvaluationCompleted> published = events.on("evaluations", run, EvaluationCompleted.class);
        assertThat(published).hasSize(1);
        assertThat(published.get(0).getEvaluation()).isEqualTo(ev);
        assertThat(decisions(run)).as("no test during warm-up").isEmpty();

        // The same numbers from mmd-core directly: fresh moons (training seed + offset), samples from seeds base + i.
        Path dir = work.resolve("check");
        e.checkpoints.download(run, 100, dir);
        long[] seeds = new long[400];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = EvaluationSettings.DEFAULT_SAMPLE_SEED + i;
        }
        try (GeneratorModel model = GeneratorModel.load(dir)) {
            KidResult direct = KidReference.kid(Moons.sample(1000, 0.1, 0 + MoonsFeatureSource.HELD_OUT_SEED_OFFSET),
                    model.generate(seeds), InMemoryEvaluator.SETTINGS.kid());
            assertThat(ev.getKid().getMean()).isEqualTo(direct.mean());
            assertThat(ev.getKid().getStd()).isEqualTo(direct.std());
            assertThat(ev.getKid().getStderr()).isEqualTo(direct.stderr());
        }
        assertThat(e.references.preparations()).isEqualTo(1);
        evaluate(e, moons.upload(e.checkpoints, run, 200));
        evaluate(e, moons.upload(e.checkpoints, run(), 100));
        assertThat(e.references.preparations()).as("one reference per data set and network").isEqualTo(1);
    }

    @Test
    void aGeneratorThatStopsImprovingDecaysOnceAfterThreeFailedTests() throws Exception {
        InMemoryEvaluator e = new InMemoryEvaluator(blobs, events, work);
        String run = run();
        List<DecisionKind> kinds = new ArrayList<>();
        for (long step = 100; step <= 700; step += 100) {
            kinds.add(evaluate(e, moons.upload(e.checkpoints, run, step)).getDecision());
        }
        // window 2: two warm-ups, then the same samples every time: p = 0.5 > 0.1, so three failures decay; after a
        // decay the memory keeps the last 2 entries (window < 3) and tests go on.
        assertThat(kinds).containsExactly(DecisionKind.DECISION_KIND_WARMUP, DecisionKind.DECISION_KIND_WARMUP,
                DecisionKind.DECISION_KIND_FAIL, DecisionKind.DECISION_KIND_FAIL, DecisionKind.DECISION_KIND_DECAY,
                DecisionKind.DECISION_KIND_FAIL, DecisionKind.DECISION_KIND_FAIL);
        List<LearningRateDecision> d = decisions(run);
        assertThat(d).hasSize(5);
        LearningRateDecision decay = d.get(2);
        assertThat(decay.getKind()).isEqualTo(DecisionKind.DECISION_KIND_DECAY);
        assertThat(decay.getFactor()).isEqualTo(0.8);
        assertThat(decay.getFloor()).isEqualTo(1e-6);
        assertThat(decay.getDecisionId()).isEqualTo(EventIds.id(run, 500, "lr-decision"));
        assertThat(decay.getHeader().getRunId()).isEqualTo(run);
        assertThat(decay.getRelativeTest().getPValue()).isGreaterThan(0.1);
        assertThat(decay.getRelativeTest().getPreviousStep()).isEqualTo(100);
        assertThat(d).filteredOn(x -> x.getKind() != DecisionKind.DECISION_KIND_DECAY).allSatisfy(x -> assertThat(x.getFactor()).isEqualTo(1.0));
        assertThat(e.metrics.count("mmdgan_evaluator_decisions", "kind", "decay")).isEqualTo(1);
    }

    @Test
    void repeatedAndOutOfOrderEventsAreNotCountedAgain() throws Exception {
        InMemoryEvaluator e = new InMemoryEvaluator(blobs, events, work);
        String run = run();
        CheckpointRef s100 = moons.upload(e.checkpoints, run, 100);
        CheckpointRef s200 = moons.upload(e.checkpoints, run, 200);
        CheckpointRef s300 = moons.upload(e.checkpoints, run, 300);

        assertThat(e.queue.submit(event(s200))).isEqualTo(EvaluationQueue.Outcome.QUEUED);
        assertThat(e.queue.submit(event(s200))).isEqualTo(EvaluationQueue.Outcome.DUPLICATE);
        assertThat(e.queue.submit(event(s100))).as("older than the waiting one").isEqualTo(EvaluationQueue.Outcome.STALE);
        assertThat(e.queue.submit(event(s300))).as("replaces the waiting 200").isEqualTo(EvaluationQueue.Outcome.SUPERSEDED);
        assertThat(e.queue.size()).isEqualTo(1);
        drain(e);
        assertThat(e.evaluations.progress(run).lastStep()).isEqualTo(300);
        assertThat(e.queue.submit(event(s200))).as("seen before").isEqualTo(EvaluationQueue.Outcome.DUPLICATE);
        CheckpointPublished again = event(s200).toBuilder()
                .setHeader(EventIds.header(run, 200, "checkpoint|republished", "test")).build();
        assertThat(e.queue.submit(again)).as("older than the last evaluated").isEqualTo(EvaluationQueue.Outcome.STALE);
        assertThat(e.queue.submit(event(s300))).isEqualTo(EvaluationQueue.Outcome.DUPLICATE);

        // Directly too: a repeated event id is not evaluated again, an old step is not fed to the rule.
        assertThat(e.evaluations.evaluate(e.evaluations.forEvent(s300, event(s300).getHeader().getEventId(), RunPolicy.defaults(e.evaluations.settings())))).isEmpty();
        Evaluation old = evaluate(e, s100);
        assertThat(old.getDecision()).isEqualTo(DecisionKind.DECISION_KIND_UNSPECIFIED);
        assertThat(e.evaluations.progress(run).evaluations()).isEqualTo(1);
        assertThat(e.metrics.count("mmdgan_evaluator_checkpoints", "outcome", "duplicate")).isEqualTo(4);
        assertThat(e.metrics.count("mmdgan_evaluator_checkpoints", "outcome", "stale")).isEqualTo(2);
        assertThat(e.metrics.count("mmdgan_evaluator_checkpoints", "outcome", "superseded")).isEqualTo(1);
    }

    @Test
    void aFullQueueRefusesNewRunsAndSaysSo() throws Exception {
        InMemoryEvaluator e = new InMemoryEvaluator(blobs, events, work); // capacity 2
        for (int i = 0; i < 2; i++) {
            assertThat(e.queue.submit(event(ref(run(), 100)))).isEqualTo(EvaluationQueue.Outcome.QUEUED);
        }
        String third = run();
        assertThat(e.queue.submit(event(ref(third, 100)))).isEqualTo(EvaluationQueue.Outcome.REJECTED_QUEUE_FULL);
        assertThat(e.metrics.count("mmdgan_evaluator_checkpoints", "outcome", "rejected-queue-full")).isEqualTo(1);
        assertThat(e.queue.size()).isEqualTo(2);
    }

    @Test
    void everyKthCheckpointIsEvaluated() throws Exception {
        EvaluationSettings s = InMemoryEvaluator.SETTINGS;
        EvaluationSettings every3 = new EvaluationSettings(s.samples(), s.kid(), s.relativeSamples(), s.sampleSeed(), 3, 10,
                s.decay(), s.pictureSamples(), s.storePatience());
        InMemoryEvaluator e = new InMemoryEvaluator(blobs, events, work, every3, FeatureSource.of(List.of(new MoonsFeatureSource(1000))));
        String run = run();
        List<EvaluationQueue.Outcome> outcomes = new ArrayList<>();
        for (long step = 1; step <= 7; step++) {
            outcomes.add(e.queue.submit(event(ref(run, step))));
        }
        assertThat(outcomes).containsExactly(EvaluationQueue.Outcome.QUEUED, EvaluationQueue.Outcome.SKIPPED_FREQUENCY,
                EvaluationQueue.Outcome.SKIPPED_FREQUENCY, EvaluationQueue.Outcome.SUPERSEDED,
                EvaluationQueue.Outcome.SKIPPED_FREQUENCY, EvaluationQueue.Outcome.SKIPPED_FREQUENCY,
                EvaluationQueue.Outcome.SUPERSEDED);
    }

    private static CheckpointPublished event(CheckpointRef ref, LearningRateDecaySpec decay) {
        return event(ref).toBuilder().setLrDecay(decay).build();
    }

    /** Evaluates as the queue's worker would, under the policy the event asks for. */
    private Evaluation evaluate(InMemoryEvaluator e, CheckpointPublished event) throws InterruptedException {
        return e.evaluations.evaluate(e.evaluations.forEvent(event.getCheckpoint(), event.getHeader().getEventId(),
                RunPolicy.of(event, e.evaluations.settings()))).orElseThrow();
    }

    @Test
    void aRunsOwnDecaySettingsMakeItsDecisions() throws Exception {
        InMemoryEvaluator e = new InMemoryEvaluator(blobs, events, work);
        String run = run();
        LearningRateDecaySpec own = LearningRateDecaySpec.newBuilder().setWindow(1).setMaxFailures(1).setFactor(0.5)
                .setFloor(1e-3).build();
        List<DecisionKind> kinds = new ArrayList<>();
        for (long step = 100; step <= 300; step += 100) {
            kinds.add(evaluate(e, event(moons.upload(e.checkpoints, run, step), own)).getDecision());
        }
        // Window 1 and one failure: every test against the step before fails (same samples, p = 0.5) and decays.
        assertThat(kinds).containsExactly(DecisionKind.DECISION_KIND_WARMUP, DecisionKind.DECISION_KIND_DECAY,
                DecisionKind.DECISION_KIND_DECAY);
        assertThat(decisions(run)).allSatisfy(d -> {
            assertThat(d.getFactor()).isEqualTo(0.5);
            assertThat(d.getFloor()).isEqualTo(1e-3);
        });
        // The rule is the run's from its first evaluation on: later events cannot change it.
        evaluate(e, event(moons.upload(e.checkpoints, run, 400), LearningRateDecaySpec.getDefaultInstance()));
        assertThat(decisions(run)).hasSize(3).last().extracting(LearningRateDecision::getFactor).isEqualTo(0.5);
    }

    @Test
    void aRunWithDecayOffGetsKidOnlyAndOutOfRangeSettingsFallBackToTheDefaults() throws Exception {
        InMemoryEvaluator e = new InMemoryEvaluator(blobs, events, work);
        String off = run();
        for (long step = 100; step <= 400; step += 100) {
            Evaluation ev = evaluate(e, event(moons.upload(e.checkpoints, off, step),
                    LearningRateDecaySpec.newBuilder().setEnabled(false).build()));
            assertThat(ev.hasKid()).isTrue();
            assertThat(ev.getDecision()).isEqualTo(DecisionKind.DECISION_KIND_UNSPECIFIED);
            assertThat(ev.hasRelativeTest()).isFalse();
        }
        assertThat(decisions(off)).isEmpty();
        assertThat(e.evaluations.progress(off).lastStep()).as("the run's progress moves on all the same").isEqualTo(400);
        CheckpointPublished late = event(ref(off, 300)).toBuilder()
                .setHeader(EventIds.header(off, 300, "checkpoint|again", "test")).build();
        assertThat(e.queue.submit(late)).isEqualTo(EvaluationQueue.Outcome.STALE);

        CheckpointPublished bad = event(ref(run(), 100), LearningRateDecaySpec.newBuilder().setFactor(2).build());
        assertThat(RunPolicy.of(bad, e.evaluations.settings())).isEqualTo(RunPolicy.defaults(e.evaluations.settings()));
    }

    @Test
    void aRunsOwnFrequencyPicksTheMultiplesOfItsInterval() throws Exception {
        InMemoryEvaluator e = new InMemoryEvaluator(blobs, events, work);
        String run = run();
        String never = run();
        List<EvaluationQueue.Outcome> outcomes = new ArrayList<>();
        List<EvaluationQueue.Outcome> none = new ArrayList<>();
        for (long step = 100; step <= 400; step += 100) {
            outcomes.add(e.queue.submit(event(ref(run, step)).toBuilder().setEvaluationEvery(200).build()));
            none.add(e.queue.submit(event(ref(never, step)).toBuilder().setEvaluationEvery(0).build()));
        }
        assertThat(outcomes).containsExactly(EvaluationQueue.Outcome.SKIPPED_FREQUENCY, EvaluationQueue.Outcome.QUEUED,
                EvaluationQueue.Outcome.SKIPPED_FREQUENCY, EvaluationQueue.Outcome.SUPERSEDED);
        assertThat(none).containsOnly(EvaluationQueue.Outcome.SKIPPED_FREQUENCY);
    }

    @Test
    void aRestartedEvaluatorContinuesWhereItWas() throws Exception {
        String run = run();
        InMemoryEvaluator first = new InMemoryEvaluator(blobs, events, work);
        List<DecisionKind> kinds = new ArrayList<>();
        for (long step = 100; step <= 300; step += 100) {
            kinds.add(evaluate(first, moons.upload(first.checkpoints, run, step)).getDecision());
        }
        InMemoryEvaluator second = new InMemoryEvaluator(blobs, events, work.resolve("second"));
        RunProgress restored = second.evaluations.progress(run);
        assertThat(restored.lastStep()).isEqualTo(300);
        assertThat(restored.consecutiveFailures()).isEqualTo(1);
        assertThat(restored.storedSteps()).containsExactly(100L, 200L);
        assertThat(second.queue.submit(event(ref(run, 300)))).as("counted before the restart").isEqualTo(EvaluationQueue.Outcome.DUPLICATE);
        for (long step = 400; step <= 500; step += 100) {
            kinds.add(evaluate(second, moons.upload(second.checkpoints, run, step)).getDecision());
        }
        assertThat(kinds).containsExactly(DecisionKind.DECISION_KIND_WARMUP, DecisionKind.DECISION_KIND_WARMUP,
                DecisionKind.DECISION_KIND_FAIL, DecisionKind.DECISION_KIND_FAIL, DecisionKind.DECISION_KIND_DECAY);
    }

    @Test
    void anEvaluationRepeatedAfterACrashPublishesTheSameDecisionAndNeverCountsTwice() throws Exception {
        String run = run();
        InMemoryEvaluator first = new InMemoryEvaluator(blobs, events, work);
        for (long step = 100; step <= 400; step += 100) {
            evaluate(first, moons.upload(first.checkpoints, run, step));
        }
        // Step 500 (the third failure): everything is stored and published, but the rule's state cannot be saved (the
        // store refuses for longer than the evaluator's patience), and then the evaluator dies.
        CheckpointRef s500 = moons.upload(first.checkpoints, run, 500);
        byte[] before = blobs.get(EvaluationStore.progressKey(run));
        first.evaluations.progress(run); // cached: the state read below needs no store
        FailingProgressWrites.failFor(blobs, first, s500);
        assertThat(first.metrics.count("mmdgan_evaluator_state_save_failures", null, null)).isEqualTo(1);
        assertThat(blobs.get(EvaluationStore.progressKey(run))).isEqualTo(before);

        // The restarted evaluator gets the checkpoint event again (it was never counted in the saved state).
        InMemoryEvaluator second = new InMemoryEvaluator(blobs, events, work.resolve("second"));
        assertThat(second.queue.submit(event(s500))).isEqualTo(EvaluationQueue.Outcome.QUEUED);
        drain(second);
        assertThat(second.queue.submit(event(s500))).isEqualTo(EvaluationQueue.Outcome.DUPLICATE);

        List<LearningRateDecision> decays = decisions(run).stream()
                .filter(d -> d.getKind() == DecisionKind.DECISION_KIND_DECAY).toList();
        assertThat(decays).as("published twice, with one decision id: the trainer applies it once").hasSize(2);
        assertThat(decays.stream().map(LearningRateDecision::getDecisionId).distinct()).hasSize(1);
        assertThat(decays.get(0).getRelativeTest()).isEqualTo(decays.get(1).getRelativeTest());
        assertThat(second.evaluations.progress(run).decays()).isEqualTo(1);
        assertThat(second.evaluations.progress(run).consecutiveFailures()).isZero();
        assertThat(RunProgress.restore(blobs.get(EvaluationStore.progressKey(run))).decays()).isEqualTo(1);
    }

    @Test
    void dataWithoutAFeatureNetworkFailsClearly() throws Exception {
        InMemoryEvaluator e = new InMemoryEvaluator(blobs, events, work, InMemoryEvaluator.SETTINGS, FeatureSource.of(List.of()));
        String run = run();
        CheckpointRef ref = moons.upload(e.checkpoints, run, 100);
        assertThatThrownBy(() -> evaluate(e, ref)).isInstanceOf(FeatureSource.Unavailable.class)
                .hasMessageContaining("no feature network for data set 'moons(").hasMessageContaining("[2]");
        assertThat(e.metrics.count("mmdgan_evaluator_failures", "reason", "no-feature-network")).isEqualTo(1);

        // Through the queue: the worker reports the failure on the evaluations topic and goes on.
        String other = run();
        e.queue.submit(event(moons.upload(e.checkpoints, other, 100)));
        drain(e);
        List<EvaluationCompleted> reported = events.on("evaluations", other, EvaluationCompleted.class);
        assertThat(reported).hasSize(1);
        assertThat(reported.get(0).getEvaluation().getFailure()).contains("no feature network");
        assertThat(reported.get(0).getEvaluation().hasKid()).isFalse();
        assertThat(e.evaluations.progress(other).lastStep()).isEqualTo(-1);
        assertThat(decisions(other)).isEmpty();
    }

    @Test
    void aMissingCheckpointIsNotFound() {
        InMemoryEvaluator e = new InMemoryEvaluator(blobs, events, work);
        assertThatThrownBy(() -> evaluate(e, ref(run(), 100))).isInstanceOf(dev.mmdgan.service.api.ApiErrors.NotFound.class)
                .hasMessageContaining("no complete checkpoint");
    }

    private static CheckpointRef ref(String run, long step) {
        return CheckpointRef.newBuilder().setRunId(run).setGeneratorStep(step).build();
    }

    /** Runs the queue's worker until nothing waits. */
    private static void drain(InMemoryEvaluator e) throws InterruptedException {
        Thread worker = new Thread(e.queue::run);
        worker.start();
        long deadline = System.nanoTime() + 120_000_000_000L;
        Thread.sleep(50);
        while (!e.queue.idle() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        e.queue.close();
        worker.interrupt();
        worker.join(5000);
        assertThat(e.queue.idle()).isTrue();
    }

    /** Evaluates with the store refusing every write of the rule's state. */
    private static final class FailingProgressWrites {
        static void failFor(InMemoryBlobStore blobs, InMemoryEvaluator e, CheckpointRef ref) throws Exception {
            // Picture and evaluation go first; then the state write fails for longer than the patience (300 ms).
            Optional<Evaluation> ev;
            e.flaky.refuseWritesTo(EvaluationStore.progressKey(ref.getRunId()));
            try {
                ev = e.evaluations.evaluate(e.evaluations.forEvent(ref, event(ref).getHeader().getEventId(), RunPolicy.defaults(e.evaluations.settings())));
            } finally {
                e.flaky.refuseWritesTo("");
            }
            assertThat(ev).isPresent();
        }
    }
}
