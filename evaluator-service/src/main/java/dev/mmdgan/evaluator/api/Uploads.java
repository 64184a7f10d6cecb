package dev.mmdgan.evaluator.api;

import dev.mmdgan.api.v1.SampleSet;
import dev.mmdgan.api.v1.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The rows of two sets streamed in chunks (ComputeKid, TwoSampleTest): each chunk's tensor is checked (shape, values,
 * same trailing shape as the set's earlier chunks, the call's total) and kept until the stream ends.
 */
final class Uploads {

    /** Values (floats) one call may upload in all: 256 MiB. */
    static final long MAX_VALUES = 64L << 20;

    private final String realName;
    private final String fakeName;
    private final List<float[]> real = new ArrayList<>();
    private final List<float[]> fake = new ArrayList<>();
    private long[] realShape;
    private long[] fakeShape;
    private long realRows;
    private long fakeRows;
    private long values;

    /** @param realName, fakeName how messages name the two sets (e.g. "real"/"fake", or "X"/"Y") */
    Uploads(String realName, String fakeName) {
        this.realName = realName;
        this.fakeName = fakeName;
    }

    /** Adds one chunk; {@code rank} is the tensor rank the call expects (2 for features, 4 for images). */
    void add(int message, SampleSet set, Tensor rows, int rank) {
        String field = "message " + message + ": rows";
        Fields.require(set == SampleSet.SAMPLE_SET_REAL || set == SampleSet.SAMPLE_SET_FAKE, "message " + message
                + ": set must be SAMPLE_SET_REAL (" + realName + ") or SAMPLE_SET_FAKE (" + fakeName + "), got " + set);
        Fields.require(rows.getShapeCount() == rank, field + ".shape must have " + rank + " dimensions ("
                + (rank == 2 ? "[rows, features]" : "[rows, channels, height, width]") + "), got " + rows.getShapeList());
        long count = 1;
        for (int i = 0; i < rank; i++) {
            long d = rows.getShape(i);
            Fields.require(d >= 1 && d <= Integer.MAX_VALUE, field + ".shape[" + i + "] must be ≥ 1, got " + d);
            count = Math.multiplyExact(count, d);
        }
        Fields.require(rows.getValuesCount() == count, field + " has " + rows.getValuesCount() + " values; shape "
                + rows.getShapeList() + " needs " + count);
        values += count;
        Fields.require(values <= MAX_VALUES, "the upload exceeds " + MAX_VALUES + " values in all; send fewer rows");
        long[] shape = rows.getShapeList().stream().mapToLong(Long::longValue).toArray();
        long[] trailing = Arrays.copyOfRange(shape, 1, shape.length);
        float[] data = new float[(int) count];
        for (int i = 0; i < data.length; i++) {
            float v = rows.getValues(i);
            Fields.require(Float.isFinite(v), field + ".values[" + i + "] must be finite, got " + v);
            data[i] = v;
        }
        boolean isReal = set == SampleSet.SAMPLE_SET_REAL;
        long[] known = isReal ? realShape : fakeShape;
        if (known == null) {
            if (isReal) {
                realShape = trailing;
            } else {
                fakeShape = trailing;
            }
        } else {
            Fields.require(Arrays.equals(known, trailing), field + ": each row of the " + (isReal ? realName : fakeName)
                    + " set must have shape " + Arrays.toString(known) + " as in its earlier messages, got " + Arrays.toString(trailing));
        }
        (isReal ? real : fake).add(data);
        if (isReal) {
            realRows += shape[0];
        } else {
            fakeRows += shape[0];
        }
    }

    long realRows() {
        return realRows;
    }

    long fakeRows() {
        return fakeRows;
    }

    long[] realShape() {
        return realShape;
    }

    long[] fakeShape() {
        return fakeShape;
    }

    /** Both sets must have rows, and rows of the same shape. */
    void requireBoth(long minRows) {
        Fields.require(realRows >= minRows, "the " + realName + " set (SAMPLE_SET_REAL) needs at least " + minRows
                + " rows, got " + realRows);
        Fields.require(fakeRows >= minRows, "the " + fakeName + " set (SAMPLE_SET_FAKE) needs at least " + minRows
                + " rows, got " + fakeRows);
        Fields.require(Arrays.equals(realShape, fakeShape), "rows of both sets must have the same shape: " + realName + " "
                + Arrays.toString(realShape) + ", " + fakeName + " " + Arrays.toString(fakeShape));
    }

    /** [rows, values per row] float32 of the real (X) set. */
    INDArray real() {
        return matrix(real, realRows, realShape);
    }

    INDArray fake() {
        return matrix(fake, fakeRows, fakeShape);
    }

    private static INDArray matrix(List<float[]> chunks, long rows, long[] rowShape) {
        int width = (int) Arrays.stream(rowShape).reduce(1, Math::multiplyExact);
        float[] all = new float[Math.toIntExact(rows * width)];
        int at = 0;
        for (float[] c : chunks) {
            System.arraycopy(c, 0, all, at, c.length);
            at += c.length;
        }
        return Nd4j.createFromArray(all).reshape('c', rows, width);
    }
}
