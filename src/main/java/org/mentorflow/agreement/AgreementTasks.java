package org.mentorflow.agreement;

import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans that placement-agreement.bpmn names. */
@Configuration
class AgreementTasks {

    @Bean
    JavaDelegate prepareAgreement(Agreements agreements) {
        return agreements::prepare;
    }

    @Bean
    JavaDelegate recordAgreementRequirements(Agreements agreements) {
        return agreements::recordRequirements;
    }

    @Bean
    TaskListener prepareAgreementSummary(Agreements agreements) {
        return agreements::prepareSummary;
    }

    @Bean
    TaskListener recordSignature(Agreements agreements) {
        return agreements::recordSignature;
    }

    @Bean
    TaskListener recordGuardianConsent(Agreements agreements) {
        return agreements::recordGuardianConsent;
    }

    @Bean
    TaskListener recordInsurance(Agreements agreements) {
        return agreements::recordInsurance;
    }

    @Bean
    JavaDelegate finalizeAgreement(Agreements agreements) {
        return agreements::finalizeAgreement;
    }
}
