package dev.mmdgan.engine.pictures;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Image samples in [−1, 1] (rows of C·H·W values, channels first) as one PNG grid, gray for C = 1, RGB for C = 3. */
public final class ImageGrid {

    private static final int GAP = 2;

    private ImageGrid() {
    }

    /** Writes the grid of {@code samples} (viewed as {@code shape} = [C, H, W]), each pixel {@code scale}² pixels. */
    public static void write(Path file, INDArray samples, long[] shape, int scale) throws IOException {
        ImageIO.write(image(samples, shape, scale), "png", file.toFile());
    }

    /** The same grid as PNG bytes. */
    public static byte[] png(INDArray samples, long[] shape, int scale) {
        return Pictures.png(image(samples, shape, scale));
    }

    static BufferedImage image(INDArray samples, long[] shape, int scale) {
        int c = (int) shape[0];
        int h = (int) shape[1];
        int w = (int) shape[2];
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("PNG grids need 1 or 3 channels, the samples have " + c + "; use .npy");
        }
        int n = (int) samples.rows();
        int cols = (int) Math.ceil(Math.sqrt(n));
        int rows = (n + cols - 1) / cols;
        int cell = GAP + w * scale;
        int cellH = GAP + h * scale;
        BufferedImage image = new BufferedImage(GAP + cols * cell, GAP + rows * cellH, BufferedImage.TYPE_INT_RGB);
        float[] values = samples.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        int size = c * h * w;
        for (int i = 0; i < n; i++) {
            int x0 = GAP + (i % cols) * cell;
            int y0 = GAP + (i / cols) * cellH;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb = 0;
                    for (int ch = 0; ch < 3; ch++) {
                        float v = values[i * size + (c == 1 ? 0 : ch) * h * w + y * w + x];
                        rgb = rgb << 8 | Math.round(Math.max(0, Math.min(1, (v + 1) / 2)) * 255);
                    }
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            image.setRGB(x0 + x * scale + dx, y0 + y * scale + dy, rgb);
                        }
                    }
                }
            }
        }
        return image;
    }
}
