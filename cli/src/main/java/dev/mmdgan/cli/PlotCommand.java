package dev.mmdgan.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Plot a run's critic and generator losses (raw and moving average) and learning rates over generator steps.")
final class PlotCommand extends ReportingCommand {

    private static final int W = 900;
    private static final int PANEL = 300;
    private static final int MARGIN = 60;

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "Run folder with metrics.csv.")
    Path run;

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "Output picture.")
    Path out;

    @Option(names = "--window", defaultValue = "50", description = "Moving-average window in steps (default: ${DEFAULT-VALUE}).")
    int window;

    @Override
    JsonReport report() throws IOException {
        Path csv = run.resolve("metrics.csv");
        if (!Files.exists(csv)) {
            throw new IllegalArgumentException(run + " has no metrics.csv; give the folder that `mmdgan train --out` wrote");
        }
        if (!out.getFileName().toString().endsWith(".png")) {
            throw new IllegalArgumentException("--out must end in .png, got " + out.getFileName());
        }
        List<String> lines = Files.readAllLines(csv);
        int n = lines.size() - 1;
        if (n < 1) {
            throw new IllegalArgumentException(csv + " has no steps yet");
        }
        double[][] cols = new double[5][n];
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(",");
            for (int c = 0; c < 5; c++) {
                cols[c][i] = Double.parseDouble(f[c]);
            }
        }
        BufferedImage image = new BufferedImage(W, 2 * PANEL + 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        Color critic = new Color(31, 119, 180);
        Color generator = new Color(255, 127, 14);
        panel(g, 20, "losses (thin: per step, thick: moving average of " + window + ")", cols[0],
                new double[][] {cols[1], cols[2], movingAverage(cols[1], window), movingAverage(cols[2], window)},
                new Color[] {lighter(critic), lighter(generator), critic, generator}, new float[] {1, 1, 2.5f, 2.5f},
                new String[] {"", "", "critic", "generator"});
        panel(g, 20 + PANEL + 20, "learning rates", cols[0], new double[][] {cols[3], cols[4]},
                new Color[] {generator, critic}, new float[] {2, 2}, new String[] {"generator", "critic"});
        g.dispose();
        ImageIO.write(image, "png", out.toFile());
        return new JsonReport().put("steps", n).put("out", out.toString());
    }

    private static void panel(Graphics2D g, int top, String title, double[] x, double[][] ys, Color[] colors, float[] widths,
                              String[] labels) {
        double xMin = x[0];
        double xMax = Math.max(x[x.length - 1], xMin + 1);
        double yMin = Double.MAX_VALUE;
        double yMax = -Double.MAX_VALUE;
        for (double[] y : ys) {
            for (double v : y) {
                if (Double.isFinite(v)) {
                    yMin = Math.min(yMin, v);
                    yMax = Math.max(yMax, v);
                }
            }
        }
        if (yMax - yMin < 1e-12 * Math.max(1, Math.abs(yMax))) {
            // A constant series (e.g. a learning rate that never decayed): centre it.
            double pad = Math.max(1e-12, Math.abs(yMin) * 0.1);
            yMin -= pad;
            yMax += pad;
        }
        int left = MARGIN;
        int right = W - 20;
        int bottom = top + PANEL - 30;
        int height = bottom - top - 20;
        g.setColor(Color.BLACK);
        g.drawString(title, left, top + 12);
        g.drawRect(left, top + 20, right - left, height);
        g.drawString(String.format("%.3g", yMax), 4, top + 30);
        g.drawString(String.format("%.3g", yMin), 4, bottom);
        g.drawString("step " + (long) xMin, left, bottom + 16);
        g.drawString("step " + (long) xMax, right - 80, bottom + 16);
        for (int s = 0; s < ys.length; s++) {
            g.setColor(colors[s]);
            g.setStroke(new BasicStroke(widths[s]));
            int px = -1;
            int py = -1;
            for (int i = 0; i < x.length; i++) {
                int cx = left + (int) ((x[i] - xMin) / (xMax - xMin) * (right - left));
                int cy = top + 20 + (int) ((yMax - ys[s][i]) / (yMax - yMin) * height);
                if (px >= 0) {
                    g.drawLine(px, py, cx, cy);
                }
                px = cx;
                py = cy;
            }
            if (!labels[s].isEmpty()) {
                g.drawString(labels[s], right - 160 + 80 * (s % 2), top + 12);
            }
        }
        g.setStroke(new BasicStroke(1));
    }

    static double[] movingAverage(double[] v, int window) {
        double[] out = new double[v.length];
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            sum += v[i];
            if (i >= window) {
                sum -= v[i - window];
            }
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }

    private static Color lighter(Color c) {
        return new Color((c.getRed() + 2 * 255) / 3, (c.getGreen() + 2 * 255) / 3, (c.getBlue() + 2 * 255) / 3);
    }
}
