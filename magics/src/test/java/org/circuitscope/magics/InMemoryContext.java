package org.circuitscope.magics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A notebook session without Jupyter, for testing magics: variables in a map, displays in a list. */
public final class InMemoryContext implements MagicContext {
    public final Map<String, Object> variables = new LinkedHashMap<>();
    public final List<Object> displayed = new ArrayList<>();
    public volatile boolean interrupt;
    /** When positive: the interrupt is raised by the first progress report whose {@code done} reaches it. */
    public volatile long interruptAtDone;
    /** Progress reports made so far. */
    public final List<String> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Session session = new Session();

    @Override
    public void setVariable(String name, String javaType, Object value) {
        variables.put(name, value);
    }

    @Override
    public String display(Object value) {
        displayed.add(value);
        return "d" + displayed.size();
    }

    @Override
    public void updateDisplay(String displayId, Object value) {
        displayed.set(Integer.parseInt(displayId.substring(1)) - 1, value);
    }

    @Override
    public boolean interrupted() {
        return interrupt;
    }

    /** A progress that records its reports and raises the interrupt at {@link #interruptAtDone}, as a user would. */
    @Override
    public org.circuitscope.progress.Progress progress(String title) {
        return new org.circuitscope.progress.Progress() {
            @Override
            public void update(long done, long total, String status) {
                reports.add(title + ": " + done + "/" + total + " " + status);
                if (interruptAtDone > 0 && done >= interruptAtDone) {
                    interrupt = true;
                }
            }

            @Override
            public boolean cancelled() {
                return interrupt;
            }
        };
    }

    @Override
    public Session session() {
        return session;
    }

    /** Runs a line magic as a cell would: the words after its name, split at spaces. */
    public Object run(Magic magic, String line) throws Exception {
        return magic.line(this, java.util.Arrays.asList(line.trim().split("\\s+")));
    }

    /** Closes every model the session loaded. */
    public void closeModels() {
        LoadedModels.of(session).all().values().forEach(org.circuitscope.model.Model::close);
    }
}
