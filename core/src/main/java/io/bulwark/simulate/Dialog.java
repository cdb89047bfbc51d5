package io.bulwark.simulate;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link TcpSession.Script} written out in advance, turn by turn: the client says
 * something and the server answers (or only acknowledges), the server speaks unprompted,
 * or both wait. Text is written as Latin-1, so raw bytes can be spelled as Java escapes.
 * An optional hook runs when the script runs out, at that traffic time, which is how a
 * bot's next connection follows the close of the last one.
 */
final class Dialog {
    /** Runs once, at the traffic time the conversation ends (its close begins). */
    @FunctionalInterface
    interface End {
        void ended(long now, Sim sim);
    }

    private final List<TcpSession.Exchange> turns = new ArrayList<>();
    private final List<End> marks = new ArrayList<>();

    /** The client sends {@code request} after {@code thinkNanos}; the server answers {@code response}, or only ACKs when null. */
    Dialog client(long thinkNanos, String request, String response) {
        return client(thinkNanos, Payload.Bytes.of(request), response == null ? null : Payload.Bytes.of(response));
    }

    Dialog client(long thinkNanos, Payload request, Payload response) {
        return add(new TcpSession.Exchange(thinkNanos, request, response), null);
    }

    /** The server sends {@code text} {@code afterNanos} after the previous turn ended at the tap. */
    Dialog server(long afterNanos, String text) {
        return server(afterNanos, Payload.Bytes.of(text));
    }

    Dialog server(long afterNanos, Payload message) {
        return add(new TcpSession.Exchange(afterNanos, null, message), null);
    }

    /** Nobody says anything for {@code nanos}. */
    Dialog pause(long nanos) {
        return add(new TcpSession.Exchange(nanos, null, null), null);
    }

    /**
     * Calls {@code hook} when the conversation gets here, at that traffic time: how a
     * download or the bot's start is tied to the command that causes it. Needs the
     * {@link #script(Sim, End)} form.
     */
    Dialog mark(End hook) {
        return add(new TcpSession.Exchange(0, null, null), hook);
    }

    private Dialog add(TcpSession.Exchange turn, End mark) {
        turns.add(turn);
        marks.add(mark);
        return this;
    }

    TcpSession.Script script() {
        return script(null, null);
    }

    /** The turns, then {@code end} is called with the traffic time (read from {@code sim}). */
    TcpSession.Script script(Sim sim, End end) {
        List<TcpSession.Exchange> copy = List.copyOf(turns);
        End[] hooks = marks.toArray(new End[0]);
        boolean[] done = {false};
        return i -> {
            if (i < copy.size()) {
                if (hooks[i] != null) {
                    hooks[i].ended(sim.now(), sim);
                }
                return copy.get(i);
            }
            if (end != null && !done[0]) {
                done[0] = true;
                end.ended(sim.now(), sim);
            }
            return null;
        };
    }
}
