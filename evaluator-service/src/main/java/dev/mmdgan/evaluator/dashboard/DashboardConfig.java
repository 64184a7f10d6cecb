package dev.mmdgan.evaluator.dashboard;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The dashboard's settings ({@code mmdgan.dashboard.*}). */
@ConfigMapping(prefix = "mmdgan.dashboard")
public interface DashboardConfig {

    /** Off: no topic is read and no dashboard route is served. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Points kept per series of a run (training metrics, KID, decisions). Past it, older points are thinned out, so the
     * whole history stays visible at a coarser resolution while the newest quarter keeps every point.
     */
    @WithDefault("2000")
    int maxPoints();

    /**
     * Runs kept; past it, the run updated longest ago is forgotten. A full run holds about 0.3 MB at the default
     * {@link #maxPoints()}.
     */
    @WithDefault("200")
    int maxRuns();

    /** Longest wait for a picture from the store before the request gets 504. */
    @WithDefault("PT10S")
    Duration pictureTimeout();

    /** A comment is sent to every live client this often, so proxies and browsers keep the stream open. */
    @WithDefault("PT15S")
    Duration heartbeat();
}
