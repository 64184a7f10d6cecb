package dev.mmdgan.core.linalg;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasUpper;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_ssyrk;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float32 Gram products A·Bᵀ and A·Aᵀ into caller-owned buffers, through the OpenBLAS that ND4J itself loads.
 *
 * <p>Why not {@code Nd4j.getBlasWrapper().level3().syrk}: in ND4J 1.0.0-M2.1 it passes K = 1 to BLAS,
 * so it computes a rank-one update of the first column instead of A·Aᵀ. The symmetric product does
 * half the multiply-adds of a general one, which is what makes within-set kernel sums cheap.
 */
public final class Blas {

    /**
     * Direct CBLAS calls and buffer copies need the arrays in host memory, as on ND4J's CPU backend; on the CUDA
     * backend (Maven profile {@code cuda}) the same products go through ND4J.
     */
    private static final boolean HOST_MEMORY = "CPU".equalsIgnoreCase(
            Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend", "CPU"));

    private Blas() {
    }

    /** A new row-major float32 [rows, cols] buffer. */
    public static INDArray floatMatrix(long rows, long cols) {
        return Nd4j.create(DataType.FLOAT, new long[] {rows, cols}, 'c');
    }

    /**
     * Copies the given rows of {@code source} into {@code target} (both row-major float32, same width).
     * Plain Java on purpose: a libnd4j op here (e.g. {@code Nd4j.pullRows}) leaves its OpenMP threads
     * spinning, and they steal the cores from the OpenBLAS call that follows (measured: 1.6× slower KID).
     */
    public static void gatherRows(INDArray source, int[] rows, INDArray target) {
        requireRowMajorFloat(source, target);
        int d = (int) source.columns();
        require(target.columns() == d && target.rows() == rows.length, "target must be [" + rows.length + ", " + d + "]");
        if (!HOST_MEMORY) {
            target.assign(source.getRows(rows));
            return;
        }
        java.nio.FloatBuffer from = source.data().asNioFloat();
        java.nio.FloatBuffer to = target.data().asNioFloat();
        for (int i = 0; i < rows.length; i++) {
            to.put(i * d, from, rows[i] * d, d);
        }
    }

    /**
     * out ← a·aᵀ, upper triangle only (entries [i][j] with j ≥ i are set; the rest are left as they were).
     * a: row-major float [n, d]; out: row-major float [n, n].
     */
    public static void gramUpper(INDArray a, INDArray out) {
        requireRowMajorFloat(a, out);
        int n = (int) a.rows();
        int d = (int) a.columns();
        require(out.rows() == n && out.columns() == n, "out must be [" + n + ", " + n + "]");
        if (!HOST_MEMORY) {
            Nd4j.gemm(a, a, out, false, true, 1.0, 0.0);
            return;
        }
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, n, d, 1f, ptr(a), d, 0f, ptr(out), n);
    }

    /** out ← a·bᵀ. a: row-major float [m, d]; b: row-major float [n, d]; out: row-major float [m, n]. */
    public static void gram(INDArray a, INDArray b, INDArray out) {
        requireRowMajorFloat(a, b, out);
        int m = (int) a.rows();
        int n = (int) b.rows();
        int d = (int) a.columns();
        require(b.columns() == d, "a and b must have the same number of columns");
        require(out.rows() == m && out.columns() == n, "out must be [" + m + ", " + n + "]");
        if (!HOST_MEMORY) {
            Nd4j.gemm(a, b, out, false, true, 1.0, 0.0);
            return;
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, d, 1f, ptr(a), d, ptr(b), d, 0f, ptr(out), n);
    }

    private static FloatPointer ptr(INDArray x) {
        return (FloatPointer) x.data().addressPointer();
    }

    private static void requireRowMajorFloat(INDArray... xs) {
        for (INDArray x : xs) {
            require(x.dataType() == DataType.FLOAT, "float32 array expected, got " + x.dataType());
            require(x.rank() == 2 && x.ordering() == 'c' && !x.isView() && x.offset() == 0,
                    "a whole row-major 2-D array expected (not a view)");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
