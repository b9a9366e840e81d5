package io.rewardannotator.scoring;

import ai.onnxruntime.OrtException;
import io.rewardannotator.TestBundles;
import io.rewardannotator.model.ModelBundle;
import io.rewardannotator.model.SessionSettings;

/** Scoring services on the tiny bundle whose model runs go through a test's fault or delay first. */
public final class InjectedScorers {
    /** Called before each model run with its number of rows; throws to fail the run, blocks to slow it. */
    @FunctionalInterface
    public interface BeforeRun {
        void accept(int rows) throws OrtException;
    }

    private InjectedScorers() {
    }

    public static ScoringService tiny(ScoringConfig config, BeforeRun beforeRun) {
        return ScoringService.open(ModelBundle.load(TestBundles.TINY), SessionSettings.cpuDefaults(), config,
                new TokenBudgetPlanner(config.maxBatchTokens(), config.maxBatchSize()), ScoringListener.NONE,
                run -> batch -> {
                    beforeRun.accept(batch.batchSize());
                    return run.run(batch);
                });
    }

    /** A scoring service with room for {@code requests} admitted requests. */
    public static ScoringConfig capacity(int requests) {
        ScoringConfig d = ScoringConfig.defaults();
        return new ScoringConfig(d.maxBatchTokens(), d.maxBatchSize(), d.maxLinger(), requests, d.cvarAlpha(),
                d.overflow());
    }
}
