package dev.mmdgan.core.mmd;

import dev.mmdgan.core.kernel.Kernel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The three kernel matrices of a two-sample comparison, in double.
 *
 * @param kxx [m, m] k(x_i, x_j)
 * @param kyy [n, n] k(y_i, y_j)
 * @param kxy [m, n] k(x_i, y_j)
 */
public record GramBlocks(INDArray kxx, INDArray kyy, INDArray kxy) {

    public GramBlocks {
        kxx = kxx.castTo(DataType.DOUBLE);
        kyy = kyy.castTo(DataType.DOUBLE);
        kxy = kxy.castTo(DataType.DOUBLE);
    }

    public static GramBlocks of(Kernel kernel, INDArray x, INDArray y) {
        if (x.rows() < 2 || y.rows() < 2) {
            throw new IllegalArgumentException("MMD² needs at least 2 samples per set, got " + x.rows() + " and " + y.rows());
        }
        return new GramBlocks(kernel.gram(x, x), kernel.gram(y, y), kernel.gram(x, y));
    }

    public long m() {
        return kxx.rows();
    }

    public long n() {
        return kyy.rows();
    }

    static double trace(INDArray k) {
        double t = 0;
        for (long i = 0; i < Math.min(k.rows(), k.columns()); i++) {
            t += k.getDouble(i, i);
        }
        return t;
    }
}
