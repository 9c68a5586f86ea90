package org.mentorflow.it;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The integration tests' DataSource, around the real one: it can make the database go away for the mail outbox at a
 * chosen statement (every statement on {@code mf_notification} is refused, as after a restart, for a while), lose the
 * answer of one commit that went through, refuse one statement of one thread once, and note the statements that threads
 * of one name prepare (to guard the shape of the queries, not their timing).
 */
public final class DatabaseFaults implements DataSource, AutoCloseable {

    private final DataSource real;
    private volatile String trigger;
    private volatile Duration outage = Duration.ZERO;
    private volatile long outageUntil;
    private volatile long everythingAwayUntil;
    private final AtomicInteger outages = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile List<String> recordThreadsNamed;
    private volatile String loseCommitAnswerAfter;
    private final AtomicInteger lostCommitAnswers = new AtomicInteger();
    private final List<String> recorded = new CopyOnWriteArrayList<>();
    private final List<String> callers = new CopyOnWriteArrayList<>();

    private volatile String everythingTrigger;
    private volatile Duration everythingLength;
    /** armed single refusals: a thread name's start and a statement's fragment, each used once */
    private final List<String[]> refuseOnce = new CopyOnWriteArrayList<>();

    DatabaseFaults(DataSource real) {
        this.real = real;
    }

    /** The next statement that contains {@code sqlFragment} starts an outage: the outbox's statements fail this long. */
    public void outageAt(String sqlFragment, Duration length) {
        outage = length;
        trigger = sqlFragment.toLowerCase(Locale.ROOT);
    }

    /**
     * The next transaction that prepares a statement containing {@code sqlFragment} commits, and then its connection
     * fails as if the database went away before its answer came back (SQL state 08006): the commit's outcome is unknown
     * to the application, though it went through.
     */
    public void loseCommitAnswerAfter(String sqlFragment) {
        loseCommitAnswerAfter = sqlFragment.toLowerCase(Locale.ROOT);
    }

    public int lostCommitAnswers() {
        return lostCommitAnswers.get();
    }

    /**
     * From now on, for this long, every statement of everyone is refused as when the database server is away (not
     * counted in {@link #outages()} and {@link #refused()}, which are the outbox's).
     */
    public void outageOfEverything(Duration length) {
        everythingAwayUntil = System.nanoTime() + length.toNanos();
    }

    /**
     * The next statement that contains {@code sqlFragment} (anyone's) starts an outage of everything, this long, and is
     * refused itself: the database goes away in the middle of the transaction that prepared it.
     */
    public void outageOfEverythingAt(String sqlFragment, Duration length) {
        everythingLength = length;
        everythingTrigger = sqlFragment.toLowerCase(Locale.ROOT);
    }

    /**
     * The next statement containing {@code sqlFragment} that a thread whose name starts with {@code threadPrefix} prepares
     * is refused, once, with an error of the database server (SQL state XX000), not an outage: the transaction fails.
     * Several can be armed; each is used once.
     */
    public void refuseOnce(String threadPrefix, String sqlFragment) {
        refuseOnce.add(new String[] {threadPrefix, sqlFragment.toLowerCase(Locale.ROOT)});
    }

    /** The single refusals armed and not met yet. */
    public int armedRefusals() {
        return refuseOnce.size();
    }

    public int outages() {
        return outages.get();
    }

    public int refused() {
        return refused.get();
    }

    /** Notes from now on every statement prepared by a thread whose name starts with one of {@code prefixes}. */
    public void record(String... prefixes) {
        recorded.clear();
        callers.clear();
        recordThreadsNamed = List.of(prefixes);
    }

    /**
     * Who prepared each statement of the last {@link #recorded()}, in the same order: the engine command that ran it
     * and the nearest frame of mentorflow's own code (for a reader looking for statements to cut).
     */
    public List<String> callers() {
        synchronized (recorded) {
            return List.copyOf(callers);
        }
    }

    private static String caller() {
        String command = null;
        String ours = null;
        for (StackTraceElement f : Thread.currentThread().getStackTrace()) {
            String c = f.getClassName();
            if (command == null && c.startsWith("org.camunda.bpm.engine.impl.cmd.")) {
                command = c.substring(c.lastIndexOf('.') + 1);
            }
            if (ours == null && c.startsWith("org.mentorflow.") && !c.startsWith("org.mentorflow.it.")
                    && !c.startsWith("org.mentorflow.common.EngineErrorLogging")) {
                ours = c.substring("org.mentorflow.".length()) + "." + f.getMethodName() + ":" + f.getLineNumber();
            }
        }
        return (command == null ? "-" : command) + " / " + (ours == null ? "-" : ours);
    }

    public List<String> recorded() {
        recordThreadsNamed = null;
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    public void reset() {
        trigger = null;
        outageUntil = 0;
        everythingAwayUntil = 0;
        everythingTrigger = null;
        recordThreadsNamed = null;
        loseCommitAnswerAfter = null;
        refuseOnce.clear();
    }

    private void check(String sql) throws SQLException {
        List<String> prefixes = recordThreadsNamed;
        String thread = Thread.currentThread().getName();
        if (prefixes != null && prefixes.stream().anyMatch(thread::startsWith)) {
            String caller = caller();
            synchronized (recorded) {
                // several threads at once (a cohort start): each statement with its own caller
                recorded.add(sql);
                callers.add(caller);
            }
        }
        for (String[] armed : refuseOnce) {
            if (Thread.currentThread().getName().startsWith(armed[0]) && sql.toLowerCase(Locale.ROOT).contains(armed[1])
                    && refuseOnce.remove(armed)) {
                throw new SQLException("Internal error (test: this statement is refused once)", "XX000");
            }
        }
        String everything = everythingTrigger;
        if (everything != null && sql.toLowerCase(Locale.ROOT).contains(everything)) {
            synchronized (this) {
                if (everythingTrigger != null) {
                    everythingTrigger = null;
                    everythingAwayUntil = System.nanoTime() + everythingLength.toNanos();
                }
            }
        }
        if (System.nanoTime() < everythingAwayUntil) {
            throw new SQLException("Connection refused (test: the database server is away)", "08001");
        }
        String s = sql.toLowerCase(Locale.ROOT);
        if (!s.contains("mf_notification")) {
            return;
        }
        String armed = trigger;
        if (armed != null && s.contains(armed)) {
            synchronized (this) {
                if (trigger != null) {
                    trigger = null;
                    outageUntil = System.nanoTime() + outage.toNanos();
                    outages.incrementAndGet();
                }
            }
        }
        if (System.nanoTime() < outageUntil) {
            refused.incrementAndGet();
            throw new SQLException("An I/O error occurred while sending to the backend (test: the database is away)", "08006");
        }
    }

    private Connection wrap(Connection c) {
        boolean[] loseAnswer = new boolean[1];
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if ((name.equals("prepareStatement") || name.equals("prepareCall")) && args != null && args[0] instanceof String sql) {
                check(sql);
                String lose = loseCommitAnswerAfter;
                if (lose != null && sql.toLowerCase(Locale.ROOT).contains(lose)) {
                    synchronized (this) {
                        if (loseCommitAnswerAfter != null) {
                            loseCommitAnswerAfter = null;
                            loseAnswer[0] = true;
                        }
                    }
                }
            }
            Object result;
            try {
                result = method.invoke(c, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (name.equals("commit") && loseAnswer[0]) {
                loseAnswer[0] = false;
                lostCommitAnswers.incrementAndGet();
                throw new SQLException("An I/O error occurred while sending to the backend (test: the commit went through, "
                        + "its answer did not)", "08006");
            }
            if (name.equals("rollback") || name.equals("close")) {
                loseAnswer[0] = false;
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(real.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(real.getConnection(username, password));
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return real.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        real.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        real.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return real.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return real.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : real.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || real.isWrapperFor(iface);
    }

    @Override
    public void close() throws Exception {
        if (real instanceof AutoCloseable a) {
            a.close();
        }
    }
}
