package io.rewardannotator.streams;

import io.rewardannotator.TestBundles;
import io.rewardannotator.model.ModelBundle;
import io.rewardannotator.model.SessionSettings;
import io.rewardannotator.scoring.ScoringConfig;
import io.rewardannotator.scoring.ScoringListener;
import io.rewardannotator.scoring.ScoringService;
import java.time.Duration;

/**
 * One scoring service on the tiny bundle for every topology test in the JVM, as in production one scorer serves
 * every task; opened on first use, closed when the test JVM exits.
 */
final class TinyScorer {
    private static ScoringService service;

    private TinyScorer() {
    }

    static synchronized ScoringService shared() {
        if (service == null) {
            service = ScoringService.open(ModelBundle.load(TestBundles.TINY), SessionSettings.cpuDefaults(),
                    ScoringConfig.defaults().withMaxLinger(Duration.ofMillis(2)), ScoringListener.NONE);
            Runtime.getRuntime().addShutdownHook(new Thread(service::close, "tiny-scorer-close"));
        }
        return service;
    }
}
