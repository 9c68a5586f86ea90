package org.mentorflow.notification;

import jakarta.mail.util.StreamProvider;

/**
 * Jakarta Mail 2.1 looks up its {@link StreamProvider} through {@code FactoryFinder} each time a {@code Multipart} is
 * made, a part is written or a header is encoded ({@code StreamProvider.provider()} does not cache;
 * jakartaee/mail-api#699, #861). Without a system property that lookup is a {@link java.util.ServiceLoader} scan of
 * every jar on the class path, which inside the executable jar (nested jars) took 44% of the dispatcher's CPU. With
 * the property {@code jakarta.mail.util.StreamProvider} set, {@code FactoryFinder} loads the named class directly, so
 * the scan happens once, here. A value given on the command line wins.
 */
final class MailRuntime {

    static final String PROPERTY = StreamProvider.class.getName();

    private MailRuntime() {
    }

    static void findStreamProviderOnce() {
        if (System.getProperty(PROPERTY) == null) {
            try {
                System.setProperty(PROPERTY, StreamProvider.provider().getClass().getName());
            } catch (RuntimeException | java.util.ServiceConfigurationError e) {
                // no provider found now: Jakarta Mail will say so when it is used
            }
        }
    }
}
