package org.mentorflow.oneclick;

import java.time.Clock;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Signs and reads one-click links: {@code /act/<payload>.<HMAC-SHA256 of the payload>}, the payload naming a random
 * link id, the task, the person, the action and when the link expires (engine clock). Whoever holds the link may act
 * as that person on that task, so the secret ({@code MENTORFLOW_LINK_SECRET}) must stay secret; without one, only
 * the demo and test profiles may run, with a random secret per start (links in older mails then stop working).
 */
@Component
public class ActionLinks {

    private final Clock clock;

    private static final Logger log = LoggerFactory.getLogger(ActionLinks.class);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final String VERSION = "v1";

    private final byte[] secret;
    private final Duration validFor;
    private final String baseUrl;
    private final SecureRandom random = new SecureRandom();

    /** What a verified link says. */
    public record Link(String id, String taskId, String userId, String action, Instant expiresAt) {
    }

    /** Why a link is refused. */
    enum Problem { MALFORMED, FORGED, EXPIRED }

    static final class Refused extends RuntimeException {
        final Problem problem;

        Refused(Problem problem) {
            super(problem.name());
            this.problem = problem;
        }
    }

    ActionLinks(@Value("${mentorflow.links.secret:}") String secret,
                @Value("${mentorflow.links.random-secret-allowed:false}") boolean randomSecretAllowed,
                @Value("${mentorflow.links.valid-for:P7D}") Duration validFor,
                @Value("${mentorflow.base-url}") String baseUrl,
                @Value("${mentorflow.links.secret-file:}") String secretFile, Clock clock) {
        this.clock = clock;
        if ((secret == null || secret.isBlank()) && secretFile != null && !secretFile.isBlank()) {
            secret = secretFromFile(java.nio.file.Path.of(secretFile));
        }
        if (secret == null || secret.isBlank()) {
            if (!randomSecretAllowed) {
                throw new IllegalStateException("Set MENTORFLOW_LINK_SECRET (mentorflow.links.secret, at least 32 characters): "
                        + "it signs the one-click links in mails.");
            }
            byte[] generated = new byte[32];
            random.nextBytes(generated);
            this.secret = generated;
            log.info("One-click links are signed with a random secret: links in mails sent before the next start stop working then");
        } else {
            if (secret.length() < 32) {
                throw new IllegalStateException("MENTORFLOW_LINK_SECRET is too short: use at least 32 random characters.");
            }
            this.secret = secret.getBytes(StandardCharsets.UTF_8);
        }
        if (validFor.isNegative() || validFor.isZero()) {
            throw new IllegalStateException("mentorflow.links.valid-for must be positive, not " + validFor);
        }
        this.validFor = validFor;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** The address of a new link, valid for {@code mentorflow.links.valid-for}. */
    public String url(String taskId, String userId, String action) {
        return baseUrl + "/act/" + token(taskId, userId, action, clock.instant().plus(validFor));
    }

    public String token(String taskId, String userId, String action, Instant expiresAt) {
        byte[] id = new byte[12];
        random.nextBytes(id);
        String payload = String.join("|", VERSION, B64.encodeToString(id), taskId, userId, action,
                String.valueOf(expiresAt.getEpochSecond()));
        String encoded = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return encoded + "." + B64.encodeToString(sign(encoded));
    }

    /** The link a token stands for; refused when it is not one of ours, was changed, or has expired. */
    /** A secret kept next to the embedded database, made on the first start: links survive a restart of the demo. */
    private String secretFromFile(java.nio.file.Path file) {
        try {
            if (!java.nio.file.Files.exists(file)) {
                byte[] generated = new byte[32];
                random.nextBytes(generated);
                java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
                java.nio.file.Files.writeString(file, java.util.HexFormat.of().formatHex(generated));
                try {
                    java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the file keeps the directory's permissions
                }
                log.info("One-click links are signed with a secret made for this installation, kept in {}", file.toAbsolutePath());
            }
            return java.nio.file.Files.readString(file).strip();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot read or write the one-click link secret file " + file.toAbsolutePath(), e);
        }
    }

    Link verify(String token) {
        if (token == null || token.length() > 1000) {
            throw new Refused(Problem.MALFORMED);
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            throw new Refused(Problem.MALFORMED);
        }
        String encoded = token.substring(0, dot);
        byte[] signature;
        String payload;
        try {
            signature = B64D.decode(token.substring(dot + 1));
            payload = new String(B64D.decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Refused(Problem.MALFORMED);
        }
        if (!MessageDigest.isEqual(sign(encoded), signature)) {
            throw new Refused(Problem.FORGED);
        }
        String[] parts = payload.split("\\|", -1);
        if (parts.length != 6 || !VERSION.equals(parts[0])) {
            throw new Refused(Problem.MALFORMED);
        }
        Instant expiresAt;
        try {
            expiresAt = Instant.ofEpochSecond(Long.parseLong(parts[5]));
        } catch (NumberFormatException e) {
            throw new Refused(Problem.MALFORMED);
        }
        if (!clock.instant().isBefore(expiresAt)) {
            throw new Refused(Problem.EXPIRED);
        }
        return new Link(parts[1], parts[2], parts[3], parts[4], expiresAt);
    }

    private byte[] sign(String encodedPayload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(encodedPayload.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
