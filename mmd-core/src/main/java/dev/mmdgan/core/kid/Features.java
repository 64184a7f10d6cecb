package dev.mmdgan.core.kid;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Input checks and the float32 row-major layout the Gram products need. */
final class Features {

    private Features() {
    }

    static INDArray asRowMajorFloat(String what, INDArray x) {
        if (x.rank() != 2) {
            throw new IllegalArgumentException(what + " features must be 2-D [samples, features], got shape "
                    + Arrays.toString(x.shape()));
        }
        if (x.dataType() == DataType.FLOAT && x.ordering() == 'c' && !x.isView() && x.offset() == 0) {
            return x;
        }
        return x.castTo(DataType.FLOAT).dup('c');
    }

    static void requireSameDim(INDArray real, INDArray fake) {
        requireSameDim(real.columns(), fake.columns());
    }

    static void requireSameDim(long realDim, long fakeDim) {
        if (realDim != fakeDim) {
            throw new IllegalArgumentException("feature dimensions differ: real has " + realDim
                    + " columns, fake has " + fakeDim + "; both must come from the same feature network");
        }
    }

    static void requireEnoughRows(String what, long rows, int subsetSize) {
        if (rows < subsetSize) {
            tooFew("the " + what + " set has " + rows + " samples", rows, subsetSize);
        }
    }

    /** Both sets at once, so that the suggested subset size works for both. */
    static void requireEnoughRows(long realRows, long fakeRows, int subsetSize) {
        if (realRows < subsetSize && fakeRows < subsetSize) {
            tooFew("the real set has " + realRows + " samples and the fake set " + fakeRows, Math.min(realRows, fakeRows), subsetSize);
        }
        requireEnoughRows("real", realRows, subsetSize);
        requireEnoughRows("fake", fakeRows, subsetSize);
    }

    private static void tooFew(String what, long atMost, int subsetSize) {
        throw new IllegalArgumentException(what + ", fewer than the subset size " + subsetSize
                + "; lower the subset size to at most " + atMost + " (--subset-size " + atMost + ") or provide more samples");
    }
}
