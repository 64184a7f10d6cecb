package dev.mmdgan.engine.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The weighted sums of {@link LossInputs.Grams} against plain loops over the blocks (m ≠ n, so no block is mixed up). */
class GramsTest {

    private static final int M = 3;
    private static final int N = 4;

    /** A joint matrix that is not symmetric: the cross terms must read the upper-right block only. */
    private final double[][] k = random(M + N, M + N);

    @Test
    void everyStatisticIsTheMeanOfItsBlock() {
        double withinReal = mean(0, M, 0, M, false);
        double withinFake = mean(M, M + N, M, M + N, false);
        double cross = mean(0, M, M, M + N, true);
        LossInputs.Grams g = grams(SameDiff.create());

        assertThat(eval(g.withinReal())).isCloseTo(withinReal, within(1e-12));
        assertThat(eval(g.withinFake())).isCloseTo(withinFake, within(1e-12));
        assertThat(eval(g.cross())).isCloseTo(cross, within(1e-12));
        assertThat(eval(g.unbiasedMmd2())).isCloseTo(withinReal + withinFake - 2 * cross, within(1e-12));
        assertThat(eval(g.weightedMeans(0.5, 3, -2))).isCloseTo(0.5 * withinReal + 3 * cross - 2 * withinFake, within(1e-12));
        double biased = mean(0, M, 0, M, true) + mean(M, M + N, M, M + N, true) - 2 * cross;
        assertThat(eval(g.biasedMmd2())).isCloseTo(biased, within(1e-12));
    }

    @Test
    void blocksComputedApartGiveTheSameStatistics() {
        SameDiff sd = SameDiff.create();
        LossInputs.Grams joint = grams(sd);
        LossInputs.Grams blocks = LossInputs.Grams.ofBlocks(block(sd, 0, M, 0, M), block(sd, 0, M, M, M + N),
                block(sd, M, M + N, M, M + N), M, N);
        assertThat(eval(blocks.unbiasedMmd2())).isCloseTo(eval(joint.unbiasedMmd2()), within(1e-12));
        assertThat(eval(blocks.weightedMeans(1, 0, -1))).isCloseTo(eval(joint.weightedMeans(1, 0, -1)), within(1e-12));
    }

    private LossInputs.Grams grams(SameDiff sd) {
        return new LossInputs.Grams(sd.constant(Nd4j.createFromArray(k)), M, N);
    }

    private SDVariable block(SameDiff sd, int rowFrom, int rowTo, int colFrom, int colTo) {
        double[][] b = new double[rowTo - rowFrom][colTo - colFrom];
        for (int i = rowFrom; i < rowTo; i++) {
            for (int j = colFrom; j < colTo; j++) {
                b[i - rowFrom][j - colFrom] = k[i][j];
            }
        }
        return sd.constant(Nd4j.createFromArray(b));
    }

    private double mean(int rowFrom, int rowTo, int colFrom, int colTo, boolean diagonal) {
        double sum = 0;
        int count = 0;
        for (int i = rowFrom; i < rowTo; i++) {
            for (int j = colFrom; j < colTo; j++) {
                if (i != j || diagonal) {
                    sum += k[i][j];
                    count++;
                }
            }
        }
        return sum / count;
    }

    private static double eval(SDVariable v) {
        INDArray out = v.eval();
        assertThat(out.dataType()).isEqualTo(DataType.DOUBLE);
        return out.getDouble(0);
    }

    private static double[][] random(int rows, int cols) {
        java.util.Random random = new java.util.Random(7);
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            for (int j = 0; j < cols; j++) {
                row[j] = random.nextDouble();
            }
        }
        return a;
    }
}
