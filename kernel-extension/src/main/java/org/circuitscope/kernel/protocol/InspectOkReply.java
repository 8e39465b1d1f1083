package org.circuitscope.kernel.protocol;

import com.google.gson.annotations.SerializedName;
import java.util.Map;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.ReplyType;
import org.dflib.jjava.jupyter.messages.reply.InspectReply;
import org.dflib.jjava.jupyter.messages.request.InspectRequest;

/** An inspect reply with every field the protocol requires (jjava's leaves out {@code metadata}). */
public final class InspectOkReply implements ContentType<InspectOkReply>, ReplyType<InspectRequest> {
    @SerializedName("status")
    private final String status = "ok";
    @SerializedName("found")
    private final boolean found;
    @SerializedName("data")
    private final Map<String, Object> data;
    @SerializedName("metadata")
    private final Map<String, Object> metadata = Map.of();

    /** @param text the documentation, or null when nothing was found */
    public InspectOkReply(String text) {
        this.found = text != null;
        this.data = text == null ? Map.of() : Map.of("text/plain", text);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public MessageType<InspectOkReply> getType() {
        return (MessageType) InspectReply.MESSAGE_TYPE;
    }

    @Override
    public MessageType<InspectRequest> getRequestType() {
        return InspectReply.REQUEST_MESSAGE_TYPE;
    }
}
