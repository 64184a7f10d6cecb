package dev.mmdgan.trainer.training;

import dev.mmdgan.api.v1.Run;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * ListRuns paging. Runs are listed oldest first (then by id); a page token is the position of the last run of the
 * previous page, so pages stay consistent while runs are added.
 */
public final class RunPages {

    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 500;

    static final Comparator<TrainingRun> ORDER = Comparator.comparing(TrainingRun::createdAt).thenComparing(r -> r.id);

    /** One page and the token of the next (empty on the last page). */
    public record Page(List<Run> runs, String nextPageToken) {
    }

    record Position(Instant createdAt, String runId) {
    }

    private RunPages() {
    }

    /** The page size a request asks for: 0 means the default; anything outside [1, MAX] is refused. */
    public static int pageSize(int requested) {
        if (requested == 0) {
            return DEFAULT_PAGE_SIZE;
        }
        if (requested < 0 || requested > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page_size must be in [1, " + MAX_PAGE_SIZE + "] (0 = "
                    + DEFAULT_PAGE_SIZE + "), got " + requested);
        }
        return requested;
    }

    static String encode(TrainingRun last) {
        String position = last.createdAt().getEpochSecond() + ":" + last.createdAt().getNano() + ":" + last.id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a token names, or null for the first page. */
    static Position decode(String token) {
        if (token.isEmpty()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":", 3);
            return new Position(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])), parts[2]);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("page_token is not a token this service issued; pass the "
                    + "next_page_token of the previous response, or none for the first page");
        }
    }

    static boolean isAfter(TrainingRun run, Position p) {
        int c = run.createdAt().compareTo(p.createdAt());
        return c > 0 || c == 0 && run.id.compareTo(p.runId()) > 0;
    }
}
