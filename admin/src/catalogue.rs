//! The rights catalogue and the routes reloaded from the host's configuration file
//! without a restart (operators only). The host validates, applies and audits; this
//! module checks who asks and answers.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use crate::AdminState;
use crate::caller::Mutation;
use crate::dto::{CatalogueReloadDto, ReloadOutcome};
use crate::error::{ApiError, ApiResult, ErrorBody};

/// Read the configuration file again and put its `[[applications]]` and `[[routes]]`
/// in force: 200 `applied` or `unchanged` (with what changed, and the changed parts
/// that only a restart applies), 422 `refused` when the file is wrong (nothing changed,
/// `message` names the key). Needs: operator (`[admin] operators`) and CSRF. Audited.
#[utoipa::path(post, path = "/admin/api/catalogue/reload", tag = "catalogue",
    responses((status = 200, body = CatalogueReloadDto), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = CatalogueReloadDto)))]
pub(crate) async fn reload(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
) -> ApiResult<(StatusCode, Json<CatalogueReloadDto>)> {
    if !caller.operator {
        return Err(ApiError::forbidden(
            "only a platform operator reloads the catalogue",
        ));
    }
    let Some(catalogue) = st.inner.catalogue.as_ref() else {
        return Err(ApiError::not_found("configuration file"));
    };
    let report = catalogue.reload(&caller).await;
    let status = match report.outcome {
        ReloadOutcome::Refused => StatusCode::UNPROCESSABLE_ENTITY,
        ReloadOutcome::Applied | ReloadOutcome::Unchanged => StatusCode::OK,
    };
    Ok((status, Json(report)))
}
