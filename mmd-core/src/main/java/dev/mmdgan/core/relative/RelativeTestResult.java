package dev.mmdgan.core.relative;

/**
 * @param diff     MMD²_u(X, Y) − MMD²_u(X, Z); negative when Y (current) is closer to X than Z (previous)
 * @param variance estimated variance of diff
 * @param ratio    diff / √max(variance, 1e−5)
 * @param pValue   Φ(ratio), one-sided; small means Y is significantly closer to X
 */
public record RelativeTestResult(double diff, double variance, double ratio, double pValue) {
}
