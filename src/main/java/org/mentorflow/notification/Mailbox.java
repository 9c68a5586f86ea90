package org.mentorflow.notification;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The embedded default's mail catcher: an in-process SMTP server on localhost and a page, /mailbox, that shows every
 * mail it received. Production leaves it off and sends through a real SMTP server.
 */
@Controller
@ConditionalOnProperty(name = "mentorflow.mailbox.enabled", havingValue = "true")
class Mailbox implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Mailbox.class);

    private final GreenMail server;
    private volatile boolean running;

    Mailbox(@Value("${mentorflow.mailbox.port:3025}") int port) {
        this.server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    }

    record Mail(String to, String subject, Date sent, String body) {
    }

    @GetMapping("/mailbox")
    String mailbox(Model model) {
        List<Mail> mails = new ArrayList<>();
        for (MimeMessage m : server.getReceivedMessages()) {
            try {
                String to = Arrays.stream(m.getRecipients(Message.RecipientType.TO)).map(Object::toString)
                        .collect(Collectors.joining(", "));
                mails.add(new Mail(to, m.getSubject(), m.getSentDate(), GreenMailUtil.getBody(m)));
            } catch (MessagingException e) {
                mails.add(new Mail("?", "(unreadable mail: " + e.getMessage() + ")", null, ""));
            }
        }
        mails.sort(java.util.Comparator.comparing(Mail::sent, java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder())));
        model.addAttribute("mails", mails);
        return "mailbox";
    }

    @Override
    public void start() {
        server.start();
        running = true;
        log.info("Mail is caught by the in-process mailbox: open /mailbox to read it");
    }

    @Override
    public void stop() {
        server.stop();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 100;
    }
}
