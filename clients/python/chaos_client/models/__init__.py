"""Contains all the data models used in inputs/outputs"""

from .appetence_batch_request import AppetenceBatchRequest
from .appetence_request import AppetenceRequest
from .appetence_request_has_default_type_1 import AppetenceRequestHasDefaultType1
from .appetence_request_has_housing_loan_type_1 import AppetenceRequestHasHousingLoanType1
from .appetence_request_has_perso_loan_type_1 import AppetenceRequestHasPersoLoanType1
from .appetence_response import AppetenceResponse
from .batch_response import BatchResponse
from .batch_result import BatchResult
from .calibration_used import CalibrationUsed
from .contribution import Contribution
from .explanation import Explanation
from .field_problem import FieldProblem
from .health import Health
from .model_details import ModelDetails
from .model_details_data_type_0 import ModelDetailsDataType0
from .model_details_excluded_type_0 import ModelDetailsExcludedType0
from .model_details_features_type_0 import ModelDetailsFeaturesType0
from .model_details_library_versions_type_0 import ModelDetailsLibraryVersionsType0
from .model_details_metrics_type_0 import ModelDetailsMetricsType0
from .model_details_promotion_type_0 import ModelDetailsPromotionType0
from .model_details_training_window_type_0 import ModelDetailsTrainingWindowType0
from .model_details_vocabulary_type_0 import ModelDetailsVocabularyType0
from .model_list import ModelList
from .model_summary import ModelSummary
from .model_summary_data_type_0 import ModelSummaryDataType0
from .model_summary_metrics_type_0 import ModelSummaryMetricsType0
from .outcome_report import OutcomeReport
from .outcome_report_has_default_type_1 import OutcomeReportHasDefaultType1
from .outcome_report_has_housing_loan_type_1 import OutcomeReportHasHousingLoanType1
from .outcome_report_has_perso_loan_type_1 import OutcomeReportHasPersoLoanType1
from .outcome_report_outcome import OutcomeReportOutcome
from .outcome_report_request import OutcomeReportRequest
from .outcome_tally import OutcomeTally
from .problem_details import ProblemDetails
from .problem_details_checks_type_0 import ProblemDetailsChecksType0
from .readiness import Readiness
from .readiness_checks import ReadinessChecks
from .report_outcomes_replace import ReportOutcomesReplace
from .row_problem import RowProblem
from .row_problem_errors_type_0_item import RowProblemErrorsType0Item
from .score_explain import ScoreExplain
from .slope_source import SlopeSource

__all__ = (
    "AppetenceBatchRequest",
    "AppetenceRequest",
    "AppetenceRequestHasDefaultType1",
    "AppetenceRequestHasHousingLoanType1",
    "AppetenceRequestHasPersoLoanType1",
    "AppetenceResponse",
    "BatchResponse",
    "BatchResult",
    "CalibrationUsed",
    "Contribution",
    "Explanation",
    "FieldProblem",
    "Health",
    "ModelDetails",
    "ModelDetailsDataType0",
    "ModelDetailsExcludedType0",
    "ModelDetailsFeaturesType0",
    "ModelDetailsLibraryVersionsType0",
    "ModelDetailsMetricsType0",
    "ModelDetailsPromotionType0",
    "ModelDetailsTrainingWindowType0",
    "ModelDetailsVocabularyType0",
    "ModelList",
    "ModelSummary",
    "ModelSummaryDataType0",
    "ModelSummaryMetricsType0",
    "OutcomeReport",
    "OutcomeReportHasDefaultType1",
    "OutcomeReportHasHousingLoanType1",
    "OutcomeReportHasPersoLoanType1",
    "OutcomeReportOutcome",
    "OutcomeReportRequest",
    "OutcomeTally",
    "ProblemDetails",
    "ProblemDetailsChecksType0",
    "Readiness",
    "ReadinessChecks",
    "ReportOutcomesReplace",
    "RowProblem",
    "RowProblemErrorsType0Item",
    "ScoreExplain",
    "SlopeSource",
)
