package org.mentorflow.matching;

import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans that enterprise-matching.bpmn names; each hands the task or execution to the stage's services. */
@Configuration
class MatchingTasks {

    @Bean
    TaskListener savePreferences(Preferences preferences) {
        return preferences::save;
    }

    @Bean
    TaskListener prepareOfferDetails(Offers offers) {
        return offers::prepareOffer;
    }

    @Bean
    TaskListener recordOfferDecision(Offers offers) {
        return offers::recordDecision;
    }

    @Bean
    JavaDelegate expireOffer(Offers offers) {
        return offers::expire;
    }

    @Bean
    TaskListener prepareManualPlacementOptions(Offers offers) {
        return offers::prepareManualPlacement;
    }

    @Bean
    TaskListener recordManualPlacement(Offers offers) {
        return offers::recordManualPlacement;
    }

    /** apprenticeship.bpmn's order-class branch (订单式): the student goes straight to the order's position. */
    @Bean
    JavaDelegate placeOnOrderPosition(OrderPlacement orderPlacement) {
        return orderPlacement::place;
    }

    @Bean
    JavaDelegate confirmPlacement(Offers offers) {
        return offers::confirmPlacement;
    }
}
