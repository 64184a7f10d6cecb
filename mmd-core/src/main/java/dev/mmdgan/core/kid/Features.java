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
        if (real.columns() != fake.columns()) {
            throw new IllegalArgumentException("feature dimensions differ: real has " + real.columns()
                    + " columns, fake has " + fake.columns() + "; both must come from the same feature network");
        }
    }

    static void requireEnoughRows(String what, long rows, int subsetSize) {
        if (rows < subsetSize) {
            throw new IllegalArgumentException("the " + what + " set has " + rows + " samples, fewer than the subset size "
                    + subsetSize + "; lower the subset size to at most " + rows + " (--subset-size " + rows
                    + ") or provide more samples");
        }
    }
}
