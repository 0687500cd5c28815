package dev.dvemu.server.execution;

import dev.dvemu.plugin.InvalidPluginExecutionException;
import dev.dvemu.plugin.Step;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.error.DataverseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a step's exception becomes on the wire (§f): {@link InvalidPluginExecutionException} is 400
 * {@code 0x80040265} with the plug-in's message; a failed data-service call is the error of that call; anything
 * else is {@code 0x80040224}. With {@code Prefer: odata.include-annotations} the error carries Dataverse's
 * annotations, the trace among them.
 */
final class PluginFailures {
    private static final Logger LOG = LoggerFactory.getLogger(PluginFailures.class);
    static final String HELP_LINK = "http://go.microsoft.com/fwlink/?LinkID=398563&error=Microsoft.Crm.CrmException%3a80040265&client=platform";

    private PluginFailures() {
    }

    static DataverseException translate(Throwable e, Step step, CharSequence trace, RequestOptions options) {
        if (e instanceof DataService.ServiceFault fault) {
            return fault.error();
        }
        if (e instanceof DataverseException d) {
            return d;
        }
        if (e instanceof InvalidPluginExecutionException invalid) {
            String message = invalid.getMessage() == null ? "ISV code aborted the operation." : invalid.getMessage();
            Map<String, String> annotations = new LinkedHashMap<>();
            if (options.errorAnnotations()) {
                annotations.put("@Microsoft.PowerApps.CDS.ErrorDetails.OperationStatus", Integer.toString(invalid.status().value()));
                annotations.put("@Microsoft.PowerApps.CDS.ErrorDetails.SubErrorCode", Integer.toString(invalid.subErrorCode()));
                annotations.put("@Microsoft.PowerApps.CDS.HelpLink", HELP_LINK);
                annotations.put("@Microsoft.PowerApps.CDS.TraceText", traceText(step, trace));
                annotations.put("@Microsoft.PowerApps.CDS.InnerError.Message", message);
            }
            return new DataverseException(DataverseError.CUSTOM_LOGIC_FAILED, message, annotations);
        }
        // a plug-in's bug: its author needs the stack trace, which stays in the server's log
        LOG.warn("step '{}' failed with an unexpected exception", step.name(), e);
        String detail = step.plugin().getClass().getName() + ": " + e.getClass().getName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage());
        Map<String, String> annotations = new LinkedHashMap<>();
        if (options.errorAnnotations()) {
            annotations.put("@Microsoft.PowerApps.CDS.TraceText", traceText(step, trace));
        }
        return new DataverseException(DataverseError.PLUGIN_UNEXPECTED, DataverseError.PLUGIN_UNEXPECTED.format(detail),
                annotations);
    }

    private static String traceText(Step step, CharSequence trace) {
        return "\r\n[" + step.plugin().getClass().getName() + "]\r\n[" + step.id() + ": " + step.name() + "]\r\n\r\n" + trace;
    }
}
