package dev.mmdgan.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version and git commit of the code, as the build recorded them in {@code build.properties}. A value the
 * build could not fill in (no git checkout, or the classes compiled without Maven's resource filtering) reads as
 * {@link #UNKNOWN}.
 */
public final class BuildInfo {

    public static final String UNKNOWN = "unknown";

    private static final Properties BUILD = load();

    private BuildInfo() {
    }

    /** The Maven project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String codeVersion() {
        return value("code.version");
    }

    /** The full SHA-1 of the commit the code was built from. */
    public static String gitCommit() {
        return value("git.commit");
    }

    private static String value(String key) {
        String v = BUILD.getProperty(key, "").strip();
        // An unset Maven property stays in the file as the literal "${…}".
        return v.isEmpty() || v.startsWith("${") ? UNKNOWN : v;
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // left empty: every value reads as unknown
        }
        return p;
    }
}
