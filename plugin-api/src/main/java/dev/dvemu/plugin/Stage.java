package dev.dvemu.plugin;

/** The stage of the event pipeline a step runs in, with Dataverse's stage numbers. */
public enum Stage {
    /**
     * Before the operation's transaction (for the request's own operation) and before the main operation; inside
     * the transaction when the operation was started by another plug-in.
     */
    PRE_VALIDATION(10),
    /** Inside the transaction, before the main operation: the place to change {@code Target}. */
    PRE_OPERATION(20),
    /** The main operation of a custom API: its implementation. */
    MAIN_OPERATION(30),
    /** Inside the transaction, after the main operation: output parameters and post-images are available. */
    POST_OPERATION(40);

    private final int number;

    Stage(int number) {
        this.number = number;
    }

    /** Dataverse's number for the stage (10, 20, 30, 40). */
    public int number() {
        return number;
    }
}
