package io.bulwark.app.api;

/** A request the API refuses: becomes {"error": message, "status": status}. */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    ApiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static ApiError badParam(String name, String why) {
        return new ApiError(400, "bad parameter " + name + ": " + why);
    }
}
