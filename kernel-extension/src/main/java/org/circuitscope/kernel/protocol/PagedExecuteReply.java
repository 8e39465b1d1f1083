package org.circuitscope.kernel.protocol;

import com.google.gson.annotations.SerializedName;
import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;

/** An execute reply with payloads (jjava's has none): the pager text that {@code name?} asks for. */
final class PagedExecuteReply extends ExecuteReply {
    @SerializedName("payload")
    private final List<Map<String, Object>> payload;

    PagedExecuteReply(int executionCount, List<Map<String, Object>> payload) {
        // jjava's one-argument constructor makes an error reply
        super(executionCount, Map.of());
        this.payload = payload;
    }
}
