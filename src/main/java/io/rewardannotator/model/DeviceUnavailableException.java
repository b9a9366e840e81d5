package io.rewardannotator.model;

/** The requested device cannot be used by this build or this machine. */
public class DeviceUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DeviceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
