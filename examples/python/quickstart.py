#!/usr/bin/python3
"""Starts a Fashion-MNIST run on the trainer, waits for the evaluator's first evaluation of it (KID), and fetches a
grid of 64 samples from the sampler as a PNG: the Python twin of examples/java-client.

Needs Debian's python3-grpcio and python3-protobuf (3.21), and the message classes from generate.sh:
    examples/python/generate.sh && /usr/bin/python3 examples/python/quickstart.py [grid.png]
Addresses come from MMDGAN_TRAINER, MMDGAN_EVALUATOR and MMDGAN_SAMPLER (host:port; defaults 127.0.0.1:8080, :8084,
:8082, as `./mmdgan up` starts them); MMDGAN_AUTH_TOKEN, when set, is sent as a bearer token. The run is the README's
recipe, 1,000 steps with a checkpoint every 250; MMDGAN_QUICKSTART_STEPS and MMDGAN_QUICKSTART_CHECKPOINT_EVERY make it
shorter (the end-to-end test uses 40 and 20).

The calls go through grpc's generic API (channel.unary_unary / unary_stream with each message's serializer), so no
gRPC code-generator plugin is needed: only protoc's message classes.
"""
import os
import sys
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "mmdgan_api"))

import grpc  # noqa: E402

try:
    from mmdgan.v1 import evaluator_pb2, sampler_pb2, trainer_pb2  # noqa: E402
except ImportError:
    sys.exit("the message classes are missing: run examples/python/generate.sh first")

CALL_DEADLINE_S = 60
# The first checkpoint plus its evaluation, on a small CPU.
EVALUATION_WAIT_S = 20 * 60


def method(channel, service, name, request_type, response_type, streaming=False):
    """A callable for /mmdgan.v1.SERVICE/NAME that (de)serializes the given message classes."""
    factory = channel.unary_stream if streaming else channel.unary_unary
    return factory(f"/mmdgan.v1.{service}/{name}", request_serializer=request_type.SerializeToString,
                   response_deserializer=response_type.FromString)


def demo_config():
    """The README's Fashion-MNIST recipe (dcgan-28, MMD with gradient penalty, rational-quadratic kernels), short."""
    config = trainer_pb2.RunConfig(steps=int(os.environ.get("MMDGAN_QUICKSTART_STEPS", "1000")),
                                   checkpoint_every=int(os.environ.get("MMDGAN_QUICKSTART_CHECKPOINT_EVERY", "250")),
                                   n_critic=1, batch_size=64, seed=0, display_name="python quickstart")
    config.dataset.name = "fashion-mnist"
    config.architecture.name = "dcgan-28"
    config.architecture.critic_output_dim = 128
    config.loss.name = "mmd-gp"
    config.kernel.name = "rq-mix"
    config.optimizer.lr_generator = 2e-4
    config.optimizer.lr_critic = 2e-4
    config.optimizer.beta2 = 0.999
    return config


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "grid.png"
    token = os.environ.get("MMDGAN_AUTH_TOKEN")
    auth = [("authorization", "Bearer " + token)] if token else []
    trainer = grpc.insecure_channel(os.environ.get("MMDGAN_TRAINER", "127.0.0.1:8080"))
    evaluator = grpc.insecure_channel(os.environ.get("MMDGAN_EVALUATOR", "127.0.0.1:8084"))
    sampler = grpc.insecure_channel(os.environ.get("MMDGAN_SAMPLER", "127.0.0.1:8082"))
    try:
        # Watch every run's evaluations before the run exists, so that its first evaluation cannot be missed.
        watch = method(evaluator, "EvaluatorService", "WatchEvaluations", evaluator_pb2.WatchEvaluationsRequest,
                       evaluator_pb2.Evaluation, streaming=True)(evaluator_pb2.WatchEvaluationsRequest(),
                                                                   timeout=EVALUATION_WAIT_S, metadata=auth)
        start = method(trainer, "TrainerService", "StartRun", trainer_pb2.StartRunRequest, trainer_pb2.Run)
        # One key per invocation: a retried call cannot start a second run, a second invocation does.
        key = f"python-quickstart-{uuid.uuid4()}"
        run = start(trainer_pb2.StartRunRequest(config=demo_config(), idempotency_key=key),
                    timeout=CALL_DEADLINE_S, metadata=auth)
        print(f"run {run.run_id} is {trainer_pb2.RunState.Name(run.state)}")

        first = next((e for e in watch if e.run_id == run.run_id), None)
        watch.cancel()
        if first is None:
            sys.exit(f"the evaluator's stream ended before an evaluation of {run.run_id}")
        kid = first.kid
        print(f"step {first.generator_step}: KID {kid.mean:.5f} ± {kid.stderr:.5f} "
              f"({kid.subsets} subsets of {kid.subset_size})")

        generate = method(sampler, "SamplerService", "Generate", sampler_pb2.GenerateRequest,
                          sampler_pb2.GenerateResponse)
        grid = generate(sampler_pb2.GenerateRequest(run_id=run.run_id, n=64, seed=1,
                                                    format=sampler_pb2.SAMPLE_FORMAT_PNG_GRID),
                        timeout=CALL_DEADLINE_S, metadata=auth)
        with open(out, "wb") as f:
            f.write(grid.png)
        print(f"64 samples of step {grid.model.checkpoint.generator_step} in {out}")
    except grpc.RpcError as e:
        sys.exit(f"call failed: {e.code().name} {e.details()}")
    finally:
        for channel in (trainer, evaluator, sampler):
            channel.close()


if __name__ == "__main__":
    main()
