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
        header = "Plot a run's losses, learning rates and KID over generator steps as a PNG.",
        description = {"Plot a run's critic and generator losses (raw and moving average) and learning rates over generator steps,",
                "and its KID over steps when evaluations exist (RUN/evaluations.csv, written by `mmdgan evaluate --record`)."})
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

    @Option(names = "--evaluations", paramLabel = "FILE.csv",
            description = "KID evaluations to plot (default: RUN/evaluations.csv when it exists; `mmdgan evaluate --record` writes it).")
    Path evaluations;

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
        Path evals = evaluations != null ? evaluations : run.resolve("evaluations.csv");
        Kid kid = Files.exists(evals) ? Kid.read(evals) : null;
        if (evaluations != null && kid == null) {
            throw new IllegalArgumentException(evaluations + " does not exist");
        }
        int panels = kid == null ? 2 : 3;
        BufferedImage image = new BufferedImage(W, panels * (PANEL + 20) + 20, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        Color critic = new Color(31, 119, 180);
        Color generator = new Color(255, 127, 14);
        Color kidColor = new Color(44, 160, 44);
        double[] x = cols[0];
        panel(g, 20, "losses (thin: per step, thick: moving average of " + window + " steps)", x,
                new double[][] {cols[1], cols[2], movingAverage(cols[1], window), movingAverage(cols[2], window)}, null,
                new Color[] {lighter(critic), lighter(generator), critic, generator}, new float[] {1, 1, 2.5f, 2.5f},
                new String[] {"critic, per step", "generator, per step", "critic, average", "generator, average"});
        panel(g, 20 + PANEL + 20, "learning rates", x, new double[][] {cols[3], cols[4]}, null,
                new Color[] {generator, critic}, new float[] {2, 2}, new String[] {"generator", "critic"});
        if (kid != null) {
            panel(g, 20 + 2 * (PANEL + 20), "KID on " + kid.network + " (bars: ± standard error)", kid.steps,
                    new double[][] {kid.mean}, new double[][] {kid.stderr}, new Color[] {kidColor}, new float[] {2},
                    new String[] {kid.network.startsWith("kid@") ? kid.network : "kid@" + kid.network});
        }
        g.dispose();
        ImageIO.write(image, "png", out.toFile());
        JsonReport report = new JsonReport().put("steps", n).put("out", out.toString());
        if (kid != null) {
            report.put("evaluations", kid.steps.length);
        }
        return report;
    }

    /** KID evaluations of a run: step, mean and standard error per line of evaluations.csv. */
    private record Kid(double[] steps, double[] mean, double[] stderr, String network) {
        static Kid read(Path file) throws IOException {
            List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
            if (lines.size() < 2) {
                throw new IllegalArgumentException(file + " has no evaluations");
            }
            List<String> header = List.of(lines.get(0).split(","));
            int step = header.indexOf("step");
            int mean = header.indexOf("kid_mean");
            int se = header.indexOf("kid_stderr");
            int net = header.indexOf("feature_network");
            if (step < 0 || mean < 0) {
                throw new IllegalArgumentException(file + " needs the columns step and kid_mean, got " + lines.get(0));
            }
            int k = lines.size() - 1;
            double[][] v = new double[3][k];
            String network = "";
            for (int i = 0; i < k; i++) {
                String[] f = lines.get(i + 1).split(",");
                v[0][i] = Double.parseDouble(f[step]);
                v[1][i] = Double.parseDouble(f[mean]);
                v[2][i] = se >= 0 && !f[se].isBlank() ? Double.parseDouble(f[se]) : 0;
                if (net >= 0 && net < f.length) {
                    if (!network.isEmpty() && !network.equals(f[net])) {
                        throw new IllegalArgumentException(file + " mixes feature networks (" + network + ", " + f[net]
                                + "): KIDs on different networks cannot share an axis");
                    }
                    network = f[net];
                }
            }
            return new Kid(v[0], v[1], v[2], network.isEmpty() ? "an unnamed network" : network);
        }
    }

    private static void panel(Graphics2D g, int top, String title, double[] x, double[][] ys, double[][] errors, Color[] colors,
                              float[] widths, String[] labels) {
        double xMin = x[0];
        double xMax = Math.max(x[x.length - 1], xMin + 1);
        double yMin = Double.MAX_VALUE;
        double yMax = -Double.MAX_VALUE;
        for (int s = 0; s < ys.length; s++) {
            for (int i = 0; i < ys[s].length; i++) {
                double v = ys[s][i];
                double e = errors == null ? 0 : Math.abs(errors[s][i]);
                if (Double.isFinite(v)) {
                    yMin = Math.min(yMin, v - (Double.isFinite(e) ? e : 0));
                    yMax = Math.max(yMax, v + (Double.isFinite(e) ? e : 0));
                }
            }
        }
        if (yMax - yMin < 1e-12 * Math.max(1, Math.abs(yMax))) {
            // A constant series (e.g. a learning rate that never decayed): centre it.
            double pad = Math.max(1e-12, Math.abs(yMin) * 0.1);
            yMin -= pad;
            yMax += pad;
        }
        double[] yTicks = Axes.ticks(yMin, yMax, 5);
        yMin = Math.min(yMin, yTicks[0]);
        yMax = Math.max(yMax, yTicks[yTicks.length - 1]);
        int left = MARGIN + 20;
        int right = W - 20;
        int plotTop = top + 20;
        int bottom = top + PANEL - 30;
        int height = bottom - plotTop;
        final double y0 = yMin;
        final double y1 = yMax;
        java.util.function.DoubleUnaryOperator px = v -> left + (v - xMin) / (xMax - xMin) * (right - left);
        java.util.function.DoubleUnaryOperator py = v -> plotTop + (y1 - v) / (y1 - y0) * height;
        g.setColor(Color.BLACK);
        g.drawString(title, left, top + 12);
        // Grid and tick labels.
        java.awt.FontMetrics fm = g.getFontMetrics();
        for (double t : yTicks) {
            int ty = (int) Math.round(py.applyAsDouble(t));
            g.setColor(new Color(225, 225, 225));
            g.drawLine(left, ty, right, ty);
            g.setColor(Color.DARK_GRAY);
            g.drawLine(left - 4, ty, left, ty);
            String label = Axes.label(t, yTicks);
            g.drawString(label, left - 6 - fm.stringWidth(label), ty + fm.getAscent() / 2 - 1);
        }
        for (double t : Axes.ticks(xMin, xMax, 8)) {
            if (t < xMin || t > xMax) {
                continue;
            }
            int tx = (int) Math.round(px.applyAsDouble(t));
            g.setColor(new Color(235, 235, 235));
            g.drawLine(tx, plotTop, tx, bottom);
            g.setColor(Color.DARK_GRAY);
            g.drawLine(tx, bottom, tx, bottom + 4);
            String label = String.format("%,d", Math.round(t));
            g.drawString(label, tx - fm.stringWidth(label) / 2, bottom + 16);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawString("generator step", right - fm.stringWidth("generator step"), bottom + 28);
        if (y0 < 0 && y1 > 0) {
            int zy = (int) Math.round(py.applyAsDouble(0));
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1.2f));
            g.drawLine(left, zy, right, zy);
        }
        g.setStroke(new BasicStroke(1));
        g.setColor(Color.BLACK);
        g.drawRect(left, plotTop, right - left, height);
        java.awt.Shape clip = g.getClip();
        g.setClip(left, plotTop, right - left + 1, height + 1);
        for (int s = 0; s < ys.length; s++) {
            g.setColor(colors[s]);
            g.setStroke(new BasicStroke(widths[s]));
            int prevX = -1;
            int prevY = -1;
            for (int i = 0; i < x.length; i++) {
                if (!Double.isFinite(ys[s][i])) {
                    continue;
                }
                int cx = (int) Math.round(px.applyAsDouble(x[i]));
                int cy = (int) Math.round(py.applyAsDouble(ys[s][i]));
                if (prevX >= 0) {
                    g.drawLine(prevX, prevY, cx, cy);
                }
                if (errors != null) {
                    double e = errors[s][i];
                    if (Double.isFinite(e) && e > 0) {
                        int lo = (int) Math.round(py.applyAsDouble(ys[s][i] - e));
                        int hi = (int) Math.round(py.applyAsDouble(ys[s][i] + e));
                        g.setStroke(new BasicStroke(1));
                        g.drawLine(cx, lo, cx, hi);
                        g.drawLine(cx - 3, lo, cx + 3, lo);
                        g.drawLine(cx - 3, hi, cx + 3, hi);
                        g.setStroke(new BasicStroke(widths[s]));
                    }
                    g.fillOval(cx - 3, cy - 3, 7, 7);
                }
                prevX = cx;
                prevY = cy;
            }
        }
        g.setClip(clip);
        g.setStroke(new BasicStroke(1));
        legend(g, right, plotTop, colors, widths, labels);
    }

    /** One legend line per labelled series, stacked in a box at the top right, so none hides another. */
    private static void legend(Graphics2D g, int right, int top, Color[] colors, float[] widths, String[] labels) {
        java.awt.FontMetrics fm = g.getFontMetrics();
        int width = 0;
        int count = 0;
        for (String l : labels) {
            if (!l.isEmpty()) {
                width = Math.max(width, fm.stringWidth(l));
                count++;
            }
        }
        if (count == 0) {
            return;
        }
        int line = fm.getHeight();
        int boxW = width + 40;
        int boxH = count * line + 8;
        int x0 = right - boxW - 6;
        int y0 = top + 6;
        g.setColor(new Color(255, 255, 255, 225));
        g.fillRect(x0, y0, boxW, boxH);
        g.setColor(Color.GRAY);
        g.drawRect(x0, y0, boxW, boxH);
        int row = 0;
        for (int s = 0; s < labels.length; s++) {
            if (labels[s].isEmpty()) {
                continue;
            }
            int cy = y0 + 4 + row * line + line / 2;
            g.setColor(colors[s]);
            g.setStroke(new BasicStroke(Math.max(widths[s], 2)));
            g.drawLine(x0 + 6, cy, x0 + 26, cy);
            g.setStroke(new BasicStroke(1));
            g.setColor(Color.BLACK);
            g.drawString(labels[s], x0 + 32, cy + fm.getAscent() / 2 - 1);
            row++;
        }
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
