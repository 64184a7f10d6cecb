package dev.mmdgan.core.kernel;

import java.util.List;

/** Builds kernels by name, with the defaults of docs/methods.md §1. */
public final class Kernels {

    /** Every kernel name the platform knows. */
    public static final List<String> NAMES =
            List.of("rbf-mix", "rq-mix", "rq-mix-dot", "laplace", "energy", "poly", "linear", "rbf-b");

    private Kernels() {
    }

    /**
     * The named kernel. {@code sigmas} parameterise rbf-mix, laplace and rbf-b; {@code alphas} rq-mix and
     * rq-mix-dot; an empty list means the default. Parameters a kernel does not take are an error.
     */
    public static Kernel byName(String name, List<Double> sigmas, List<Double> alphas) {
        boolean hasSigmas = !sigmas.isEmpty();
        boolean hasAlphas = !alphas.isEmpty();
        Kernel kernel = switch (name) {
            case "rbf-mix" -> new GaussianMixtureKernel(hasSigmas ? sigmas : GaussianMixtureKernel.DEFAULT_SIGMAS);
            case "rq-mix", "rq-mix-dot" -> new RationalQuadraticMixtureKernel(
                    hasAlphas ? alphas : RationalQuadraticMixtureKernel.DEFAULT_ALPHAS, name.equals("rq-mix") ? 0 : 1);
            case "laplace" -> new LaplaceKernel(single(name, sigmas, 1.0));
            case "rbf-b" -> new BoundedGaussianKernel(single(name, sigmas, 1.0),
                    BoundedGaussianKernel.DEFAULT.lowerBound(), BoundedGaussianKernel.DEFAULT.upperBound());
            case "energy" -> new EnergyKernel();
            case "poly" -> PolynomialKernel.KID;
            case "linear" -> new LinearKernel();
            default -> throw new IllegalArgumentException(
                    "unknown kernel '" + name + "'; allowed: " + String.join(", ", NAMES));
        };
        boolean takesSigmas = maxSigmas(name) > 0;
        boolean takesAlphas = takesAlphas(name);
        if (hasSigmas && !takesSigmas) {
            throw new IllegalArgumentException("kernel '" + name + "' takes no sigmas; sigmas apply to rbf-mix, laplace and rbf-b");
        }
        if (hasAlphas && !takesAlphas) {
            throw new IllegalArgumentException("kernel '" + name + "' takes no alphas; alphas apply to rq-mix and rq-mix-dot");
        }
        return kernel;
    }

    /** How many sigmas the named kernel takes: any number for rbf-mix, one for laplace and rbf-b, else none. */
    public static int maxSigmas(String name) {
        return switch (name) {
            case "rbf-mix" -> Integer.MAX_VALUE;
            case "laplace", "rbf-b" -> 1;
            default -> 0;
        };
    }

    /** Whether the named kernel takes alphas (rq-mix and rq-mix-dot do). */
    public static boolean takesAlphas(String name) {
        return name.startsWith("rq-mix");
    }

    /** The named kernel with its default parameters. */
    public static Kernel byName(String name) {
        return byName(name, List.of(), List.of());
    }

    static List<Double> positive(String what, List<Double> values) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        for (double v : values) {
            if (!(v > 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException(what + " must be finite and > 0, got " + v);
            }
        }
        return List.copyOf(values);
    }

    private static double single(String name, List<Double> sigmas, double fallback) {
        if (sigmas.size() > 1) {
            throw new IllegalArgumentException("kernel '" + name + "' takes one sigma, got " + sigmas.size());
        }
        return sigmas.isEmpty() ? fallback : sigmas.get(0);
    }
}
