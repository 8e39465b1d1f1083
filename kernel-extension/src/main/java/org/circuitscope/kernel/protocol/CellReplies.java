package org.circuitscope.kernel.protocol;

import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishClearOutput;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;

/**
 * The reply environment of one execute request, put between jjava's execute handler and the sockets: it names an
 * error by the class the user's code threw (jjava names it by the kernel's wrapper, SnippetException), adds a pager
 * payload to the reply ({@code name?}), remembers the cell's text result for the history, and sends every message
 * through the {@link SocketGuard}, so that an interrupt never lands inside a ZeroMQ send.
 */
public final class CellReplies extends ShellReplyEnvironment {
    private final ShellReplyEnvironment original;
    private final SocketGuard guard;
    private final int executionCount;
    private volatile Throwable failure;
    private volatile String page;
    private volatile String resultText;

    public CellReplies(ShellReplyEnvironment original, SocketGuard guard, int executionCount) {
        super((ShellChannel) original.getShell(), null, original.getIopub(), original.getContext());
        this.original = original;
        this.guard = guard;
        this.executionCount = executionCount;
    }

    /** The exception the cell ended with, for the error's name. */
    public void failed(Throwable e) {
        failure = e;
    }

    /** Text for the pager (Jupyter shows it below the cell, or in a pager pane). */
    public void page(String text) {
        page = text;
    }

    /** The text/plain form of the cell's result, or null when it had none. */
    public String resultText() {
        return resultText;
    }

    /** Clears the cell's output area, at once or (wait) just before the next output arrives. */
    public void clearOutput(boolean wait) {
        publish(wait ? PublishClearOutput.BEFORE_NEXT_OUTPUT : PublishClearOutput.NOW);
    }

    @Override
    public <T extends ContentType<T>> void publish(T content) {
        Object sent = content;
        if (content instanceof PublishError e && failure != null) {
            sent = new PublishError(ErrorNames.of(failure), e.getErrorMessage(), e.getStacktrace());
        } else if (content instanceof PublishExecuteResult r) {
            Object text = r.getData(MIMEType.TEXT_PLAIN);
            resultText = text == null ? null : text.toString();
        }
        publishAs(sent);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void publishAs(Object content) {
        guard.send(() -> super.publish((ContentType) content));
    }

    @Override
    public void publish(Message<?> message) {
        guard.send(() -> super.publish(message));
    }

    @Override
    public void reply(Message<?> message) {
        guard.send(() -> super.reply(message));
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <T extends ContentType<T>> void reply(T content) {
        Object sent = content;
        if (content instanceof ExecuteReply r && page != null) {
            sent = new PagedExecuteReply(r.getExecutionCount(), List.of(Map.of("source", "page", "data",
                    Map.of("text/plain", page), "start", 0)));
        }
        Object reply = sent;
        guard.send(() -> super.reply((ContentType) reply));
    }

    @Override
    public void replyError(MessageType<?> type, ErrorReply error) {
        ErrorReply named = error;
        if (failure != null) {
            named = new ErrorReply(ErrorNames.of(failure), error.getErrorMessage(), error.getStacktrace());
            named.setExecutionCount(executionCount);
        }
        ErrorReply sent = named;
        guard.send(() -> super.replyError(type, sent));
    }

    @Override
    public String readFromStdIn(String prompt, boolean isPassword) {
        return original.readFromStdIn(prompt, isPassword);
    }

}
