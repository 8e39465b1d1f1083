package org.circuitscope.kernel.protocol;

import com.google.gson.annotations.SerializedName;
import java.util.ArrayList;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.ReplyType;
import org.dflib.jjava.jupyter.messages.reply.HistoryReply;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;

/**
 * A history reply as the protocol has it: a status, and each entry as {@code [session, line, input]} or, with
 * output, {@code [session, line, [input, output]]} (jjava's reply has no status and sends entries as objects).
 */
public final class HistoryOkReply implements ContentType<HistoryOkReply>, ReplyType<HistoryRequest> {
    @SerializedName("status")
    private final String status = "ok";
    @SerializedName("history")
    private final List<List<Object>> history = new ArrayList<>();

    public HistoryOkReply(List<HistoryEntry> entries) {
        for (HistoryEntry e : entries) {
            Object text = e.hasOutput() ? List.of(e.getInput(), e.getOutput()) : e.getInput();
            history.add(List.of(e.getSession(), e.getCellNumber(), text));
        }
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public MessageType<HistoryOkReply> getType() {
        return (MessageType) HistoryReply.MESSAGE_TYPE;
    }

    @Override
    public MessageType<HistoryRequest> getRequestType() {
        return HistoryReply.REQUEST_MESSAGE_TYPE;
    }
}
