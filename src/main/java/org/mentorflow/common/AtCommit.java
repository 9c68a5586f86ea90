package org.mentorflow.common;

import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What a transaction collects as it goes and writes when it commits ({@code beforeCommit}: still inside it, after the
 * engine has written its own rows), so that a row many transactions share is locked for the commit only. Read models
 * kept by the engine's transactions use it ({@code reports/TaskDurations}, {@code status/OpenTasksKept}).
 */
public final class AtCommit {

    private AtCommit() {
    }

    private static final class Pending<S> {
        final S state;
        boolean written;

        Pending(S state) {
            this.state = state;
        }
    }

    /**
     * Adds to what the current transaction writes for {@code owner} when it commits: its first call makes the state
     * ({@code fresh}) and has {@code write} called with it before the commit; each call {@code add}s to it. Outside a
     * transaction, or once the commit's writes have begun (another synchronisation's work), a fresh state is added to
     * and written at once.
     */
    public static <S> void add(Object owner, Supplier<S> fresh, Consumer<S> add, Consumer<S> write) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            now(fresh, add, write);
            return;
        }
        @SuppressWarnings("unchecked")
        Pending<S> pending = (Pending<S>) TransactionSynchronizationManager.getResource(owner);
        if (pending == null) {
            Pending<S> created = new Pending<>(fresh.get());
            TransactionSynchronizationManager.bindResource(owner, created);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    created.written = true;
                    write.accept(created.state);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(owner);
                }
            });
            pending = created;
        }
        if (pending.written) {
            now(fresh, add, write);
        } else {
            add.accept(pending.state);
        }
    }

    private static <S> void now(Supplier<S> fresh, Consumer<S> add, Consumer<S> write) {
        S state = fresh.get();
        add.accept(state);
        write.accept(state);
    }
}
