package dev.mmdgan.service.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Event ids a consumer handled are remembered across restarts, up to a bound. */
@Timeout(30)
class SeenEventIdsTest {

    @TempDir
    Path dir;

    @Test
    void idsSurviveARestart() {
        Path file = dir.resolve("seen.txt");
        SeenEventIds seen = new SeenEventIds(file, 10);
        seen.add("a");
        seen.add("b");
        SeenEventIds again = new SeenEventIds(file, 10);
        assertThat(again.contains("a")).isTrue();
        assertThat(again.contains("b")).isTrue();
        assertThat(again.contains("c")).isFalse();
    }

    @Test
    void theOldestIdsAreForgottenAndTheFileStaysBounded() throws Exception {
        Path file = dir.resolve("seen.txt");
        SeenEventIds seen = new SeenEventIds(file, 3);
        for (int i = 0; i < 20; i++) {
            seen.add("id-" + i);
        }
        assertThat(seen.contains("id-19")).isTrue();
        assertThat(seen.contains("id-16")).isFalse();
        assertThat(Files.readAllLines(file).size()).isLessThanOrEqualTo(6);
        SeenEventIds again = new SeenEventIds(file, 3);
        assertThat(again.contains("id-17")).isTrue();
        assertThat(again.contains("id-10")).isFalse();
    }
}
