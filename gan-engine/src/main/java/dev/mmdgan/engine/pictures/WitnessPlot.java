package dev.mmdgan.engine.pictures;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A PNG of 2-D real and generated points over a diverging heat map of the witness function; without real points and
 * witness (null), the generated points alone on white.
 */
public final class WitnessPlot {

    private static final int SIZE = 640;
    private static final int CELLS = 120;

    private WitnessPlot() {
    }

    /** Writes the picture of {@code real} and {@code fake} rows of 2 columns (real and witness may be null). */
    public static void write(Path file, INDArray real, INDArray fake, Function<INDArray, INDArray> witness, String title)
            throws IOException {
        ImageIO.write(image(real, fake, witness, title), "png", file.toFile());
    }

    /** The same picture as PNG bytes. */
    public static byte[] png(INDArray real, INDArray fake, Function<INDArray, INDArray> witness, String title) {
        return Pictures.png(image(real, fake, witness, title));
    }

    static BufferedImage image(INDArray real, INDArray fake, Function<INDArray, INDArray> witness, String title) {
        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE};
        double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE};
        for (INDArray pts : real == null ? new INDArray[] {fake} : new INDArray[] {real, fake}) {
            for (int d = 0; d < 2; d++) {
                lo[d] = Math.min(lo[d], pts.getColumn(d).minNumber().doubleValue());
                hi[d] = Math.max(hi[d], pts.getColumn(d).maxNumber().doubleValue());
            }
        }
        for (int d = 0; d < 2; d++) {
            double pad = 0.1 * (hi[d] - lo[d]) + 1e-6;
            lo[d] -= pad;
            hi[d] += pad;
        }
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        if (witness != null) {
            heatMap(g, witness, lo, hi);
        } else {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, SIZE, SIZE);
        }
        if (real != null) {
            dots(g, real, lo, hi, new Color(20, 20, 20), 3);
        }
        dots(g, fake, lo, hi, new Color(255, 140, 0), 3);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.drawString(title + (witness != null ? " — black: real, orange: generated; red/blue: witness > 0 / < 0"
                : " — orange: generated (no real data here, so no witness)"), 8, 18);
        g.setStroke(new BasicStroke(1));
        g.dispose();
        return image;
    }

    private static void heatMap(Graphics2D g, Function<INDArray, INDArray> witness, double[] lo, double[] hi) {
        float[][] grid = new float[CELLS * CELLS][2];
        for (int i = 0; i < CELLS; i++) {
            for (int j = 0; j < CELLS; j++) {
                grid[i * CELLS + j][0] = (float) (lo[0] + (j + 0.5) / CELLS * (hi[0] - lo[0]));
                grid[i * CELLS + j][1] = (float) (hi[1] - (i + 0.5) / CELLS * (hi[1] - lo[1]));
            }
        }
        double[] w = witness.apply(Nd4j.createFromArray(grid).castTo(DataType.FLOAT)).toDoubleVector();
        double scale = 1e-12;
        for (double v : w) {
            scale = Math.max(scale, Math.abs(v));
        }
        double cell = (double) SIZE / CELLS;
        for (int i = 0; i < CELLS; i++) {
            for (int j = 0; j < CELLS; j++) {
                g.setColor(diverging(w[i * CELLS + j] / scale));
                g.fillRect((int) (j * cell), (int) (i * cell), (int) Math.ceil(cell), (int) Math.ceil(cell));
            }
        }
    }

    private static void dots(Graphics2D g, INDArray pts, double[] lo, double[] hi, Color color, int r) {
        g.setColor(color);
        for (long i = 0; i < pts.rows(); i++) {
            int x = (int) ((pts.getDouble(i, 0) - lo[0]) / (hi[0] - lo[0]) * SIZE);
            int y = (int) ((hi[1] - pts.getDouble(i, 1)) / (hi[1] - lo[1]) * SIZE);
            g.fillOval(x - r, y - r, 2 * r, 2 * r);
        }
    }

    /** −1 → blue, 0 → white, +1 → red. */
    private static Color diverging(double t) {
        t = Math.max(-1, Math.min(1, t));
        int other = (int) Math.round(255 * (1 - Math.abs(t)));
        return t >= 0 ? new Color(255, other, other) : new Color(other, other, 255);
    }
}
