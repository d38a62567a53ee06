package dev.jepoll.reactor;

import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.function.Consumer;

/**
 * A {@link System.Logger} that hands each message of level INFO or above, as one line, to a
 * consumer: what the command line prints as {@code jepoll: ...}, and what tests collect.
 * An application embedding jepoll passes its own logger instead (or lets the JDK's
 * {@code System.getLogger} route to its framework).
 */
final class LineLogger implements System.Logger {
    private final String name;
    private final Consumer<String> lines;

    LineLogger(String name, Consumer<String> lines) {
        this.name = name;
        this.lines = lines;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean isLoggable(Level level) {
        return level.getSeverity() >= Level.INFO.getSeverity();
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        if (isLoggable(level)) {
            lines.accept(thrown == null ? msg : msg + ": " + thrown);
        }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        if (isLoggable(level)) {
            lines.accept(params == null || params.length == 0 ? format : MessageFormat.format(format, params));
        }
    }
}
