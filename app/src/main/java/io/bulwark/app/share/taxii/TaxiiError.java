package io.bulwark.app.share.taxii;

/** A refusal, answered as a TAXII 2.1 error message (section 3.6.1) with this HTTP status. */
final class TaxiiError extends RuntimeException {
    final int status;

    TaxiiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}
