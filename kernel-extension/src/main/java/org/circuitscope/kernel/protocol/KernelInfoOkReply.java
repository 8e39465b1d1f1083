package org.circuitscope.kernel.protocol;

import com.google.gson.annotations.SerializedName;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.reply.KernelInfoReply;

/** jjava's kernel_info reply lacks the {@code status} field the protocol requires of every reply. */
public final class KernelInfoOkReply extends KernelInfoReply {
    @SerializedName("status")
    private final String status = "ok";

    public KernelInfoOkReply(String name, String version, LanguageInfo language, String banner, List<HelpLink> links) {
        super(Header.PROTOCOL_VERISON, name, version, language, banner, links);
    }
}
