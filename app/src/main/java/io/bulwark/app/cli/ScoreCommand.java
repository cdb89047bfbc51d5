package io.bulwark.app.cli;

import io.bulwark.app.score.Evaluation;
import io.bulwark.app.score.Roc;
import io.bulwark.app.score.RocPlot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bulwark score --scores FILE --labels FILE}: how well the anomaly scores written by
 * {@code analyze --scores} separate malicious from benign traffic: ROC AUC and the detection
 * rate at a bounded false-positive rate, optionally the ROC curve as a PNG.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "ROC AUC and detection rate at a fixed false-positive rate of analyze --scores output against labels.")
final class ScoreCommand implements Callable<Integer> {
    @Option(names = "--scores", required = true, paramLabel = "FILE", description = "written by analyze --scores")
    Path scores;

    @Option(names = "--labels", required = true, paramLabel = "FILE",
            description = "simulate --labels output (per packet) or a labelled conn.log CSV with uid and label columns (per flow)")
    Path labels;

    @Option(names = "--fpr", defaultValue = "0.001", paramLabel = "RATE",
            description = "false-positive rate bound for the detection rate (default: ${DEFAULT-VALUE})")
    double fpr;

    @Option(names = "--roc-png", paramLabel = "FILE.png", description = "also draw the ROC curve")
    Path png;

    @Option(names = "--title", paramLabel = "TEXT", defaultValue = "Bulwark anomaly detector", description = "title of the plot")
    String title;

    @Override
    public Integer call() throws Exception {
        Evaluation.Result r = Evaluation.of(scores, labels);
        Roc roc = r.roc();
        if (roc.positives() == 0 || roc.negatives() == 0) {
            System.err.println("bulwark: " + labels + ": the labels need both malicious and benign " + r.unit());
            return 2;
        }
        Roc.Point op = roc.atFpr(fpr);
        System.out.printf(Locale.ROOT, "%,d %s (%,d malicious, %,d benign, %,d without a score)%n",
                roc.positives() + roc.negatives(), r.unit(), roc.positives(), roc.negatives(), r.unscored());
        System.out.printf(Locale.ROOT, "auc=%.4f tpr=%.4f at fpr<=%s (actual fpr %.5f, threshold %.4g)%n",
                roc.auc(), op.tpr(), fpr, op.fpr(), op.threshold());
        if (png != null) {
            RocPlot.write(roc, title, fpr, png);
            System.out.println("roc: " + png);
        }
        return 0;
    }
}
