"""The safety plan (veiligheidsplan) following the Safety Planning Intervention
(Stanley B, Brown GK. Cogn Behav Pract 2012;19:256-264): content, value and rules."""

from maatwerk.core.safety_plan.content import (
    build_safety_plan_content,
    bundled_safety_plan_content,
    safety_plan_json_schema_text,
    write_json_schema,
)
from maatwerk.core.safety_plan.definitions import (
    Bilingual,
    CrisisLine,
    SafetyPlanContentFile,
    SectionDefinition,
)
from maatwerk.core.safety_plan.errors import (
    EntryProblem,
    SafetyPlanContentError,
    SafetyPlanError,
)
from maatwerk.core.safety_plan.plan import (
    EntryInput,
    PlanEntry,
    SafetyPlan,
    build_plan,
    changed_sections,
    empty_plan,
    patient_edit,
    plan_from_json,
    plan_to_json,
)

__all__ = [
    "Bilingual",
    "CrisisLine",
    "EntryInput",
    "EntryProblem",
    "PlanEntry",
    "SafetyPlan",
    "SafetyPlanContentError",
    "SafetyPlanContentFile",
    "SafetyPlanError",
    "SectionDefinition",
    "build_plan",
    "build_safety_plan_content",
    "bundled_safety_plan_content",
    "changed_sections",
    "empty_plan",
    "patient_edit",
    "plan_from_json",
    "plan_to_json",
    "safety_plan_json_schema_text",
    "write_json_schema",
]
