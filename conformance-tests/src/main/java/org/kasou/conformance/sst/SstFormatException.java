package org.kasou.conformance.sst;

import java.io.IOException;

/** A test file that is not valid SingleStepTests JSON (truncated, corrupt, wrong shape). */
public final class SstFormatException extends IOException {
    public SstFormatException(String message) {
        super(message);
    }

    public SstFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
