package dev.mmdgan.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 of files and text, as lowercase hex (the form {@code sha256sum} prints). */
public final class Sha256 {

    private Sha256() {
    }

    public static String of(Path file) {
        return of(List.of(file));
    }

    /**
     * One hash of several files: the SHA-256 of their contents concatenated in the given order, so
     * {@code cat FILE… | sha256sum} prints the same (and one file gives its own SHA-256).
     */
    public static String of(List<Path> files) {
        MessageDigest digest = digest();
        byte[] buffer = new byte[1 << 16];
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")");
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** SHA-256 of a text's UTF-8 bytes. */
    public static String ofText(String text) {
        return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
