/** The 409s for a plan whose objects the store no longer has (see plan-objects.ts). */
import type { ImportPlan } from "../../../db/schema";
import { importProblem } from "../../read/problems";

const listed = (names: string[]) =>
  names.length > 5 ? `${names.slice(0, 5).join(", ")} and ${names.length - 5} more` : names.join(", ");

/** 409: the plan's objects are gone and so is the file to plan it again from. */
export function planObjectsMissing(plan: Pick<ImportPlan, "id" | "sourceSha256">, missing: string[]) {
  return importProblem(
    "plan_objects_missing",
    `Plan ${plan.id} is no longer stored (${listed(missing)} missing from the object store), and its source file sha256:${plan.sourceSha256} is gone too, so it cannot be planned again from it.`,
    {
      status: "conflict",
      hint: "Send the file again: POST /v1/imports with the file as the body, or through a new upload (POST /v1/imports/uploads, PUT the file, then POST /v1/imports with the upload id). The same file plans again under the same plan id.",
    },
  );
}

/** 409 for a read of a plan object that is gone (a plan page, a commit's chunk). */
export function planObjectMissing(plan: Pick<ImportPlan, "id">, name: string) {
  return importProblem(
    "plan_objects_missing",
    `Plan ${plan.id} is no longer stored: its object ${name} is missing from the object store.`,
    {
      status: "conflict",
      hint: "Plan the file again (POST /v1/imports with the same file, inline, as an upload or by its sha256): a plan whose objects are gone is planned again from its source.",
    },
  );
}
