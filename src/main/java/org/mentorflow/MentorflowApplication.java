package org.mentorflow;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@EnableScheduling
public class MentorflowApplication {

    public static void main(String[] args) {
        SpringApplication.run(MentorflowApplication.class, args);
    }
}
