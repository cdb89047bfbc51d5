package io.bulwark.app.score;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Draws a ROC curve as a PNG: on the left with a linear false-positive axis, on the right with
 * a logarithmic one from 10^-5, where operating points for alarms live. Plain Java2D, headless.
 */
public final class RocPlot {
    private static final int W = 1000, H = 520, M = 60, PANEL = 420;

    private RocPlot() {
    }

    public static void write(Roc roc, String title, double maxFpr, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage im = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = im.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, M, 24);
        Roc.Point op = roc.atFpr(maxFpr);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(String.format(Locale.ROOT, "AUC %.4f   TPR %.4f at FPR <= %s   (%,d positives, %,d negatives)",
                roc.auc(), op.tpr(), pct(maxFpr), roc.positives(), roc.negatives()), M, 44);
        panel(g, roc, M, false, op);
        panel(g, roc, M + PANEL + 80, true, op);
        g.dispose();
        ImageIO.write(im, "png", png.toFile());
    }

    private static String pct(double f) {
        return String.format(Locale.ROOT, "%.3g%%", f * 100);
    }

    private static double xOf(double fpr, boolean log) {
        if (!log) {
            return fpr;
        }
        double l = Math.log10(Math.max(fpr, 1e-5));
        return (l + 5) / 5;
    }

    private static void panel(Graphics2D g, Roc roc, int x0, boolean log, Roc.Point op) {
        int y0 = 70, size = PANEL - 40;
        g.setColor(new Color(0xf4f4f4));
        g.fillRect(x0, y0, size, size);
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i <= 5; i++) {
            double v = i / 5.0;
            int px = x0 + (int) (v * size), py = y0 + size - (int) (v * size);
            g.setColor(new Color(0xdddddd));
            g.drawLine(px, y0, px, y0 + size);
            g.drawLine(x0, py, x0 + size, py);
            g.setColor(Color.DARK_GRAY);
            g.drawString(log ? (i == 5 ? "1" : "1e-" + (5 - i)) : String.format(Locale.ROOT, "%.1f", v), px - 10, y0 + size + 16);
            g.drawString(String.format(Locale.ROOT, "%.1f", v), x0 - 28, py + 4);
        }
        g.drawString(log ? "false-positive rate (log)" : "false-positive rate", x0 + size / 2 - 60, y0 + size + 34);
        g.drawString("true-positive rate", x0 - 48, y0 - 8);
        if (!log) {
            g.setColor(Color.LIGHT_GRAY);
            g.drawLine(x0, y0 + size, x0 + size, y0);
        }
        Path2D.Double path = new Path2D.Double();
        boolean first = true;
        double lastY = 0;
        for (Roc.Point p : roc.curve()) {
            double px = x0 + xOf(p.fpr(), log) * size;
            double py = y0 + size - p.tpr() * size;
            if (first) {
                path.moveTo(px, py);
                first = false;
            } else {
                // A step: the curve rises at a constant FPR, then moves right.
                path.lineTo(px, y0 + size - lastY * size);
                path.lineTo(px, py);
            }
            lastY = p.tpr();
        }
        g.setColor(new Color(0x1f77b4));
        g.setStroke(new BasicStroke(2.2f));
        g.draw(path);
        g.setColor(new Color(0xd62728));
        int ox = x0 + (int) (xOf(op.fpr(), log) * size), oy = y0 + size - (int) (op.tpr() * size);
        g.fillOval(ox - 4, oy - 4, 8, 8);
    }
}
