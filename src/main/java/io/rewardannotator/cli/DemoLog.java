package io.rewardannotator.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/** Sends this JVM's logs to a file for the demo, whose stdout tells the story (see logback-demo.xml). */
final class DemoLog {
    private DemoLog() {
    }

    /** Reconfigures logging: everything to {@code file}, only errors (one line each) to stderr. */
    static void to(Path file) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding (an embedding application's): its logging is its own
        }
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        context.reset();
        context.putProperty("DEMO_LOG", file.toString());
        try {
            configurator.doConfigure(DemoLog.class.getResource("/logback-demo.xml"));
        } catch (JoranException e) {
            throw new IllegalStateException("cannot configure the demo's log file " + file, e);
        }
    }
}
