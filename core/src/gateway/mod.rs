//! API Gateway: routing, the method ARN, and the flow of checks per authorization type.

use crate::error::Error;
use crate::response::Decision;
use crate::scenario::Request;
use crate::Input;

/// An API compiled once (policies, routes, authorizers, principals, endpoints), then asked about many requests.
#[derive(Debug, Clone)]
pub struct PreparedApi {}

impl PreparedApi {
    /// Compile a scenario without `request` (the `api`, `principals` and `vpcEndpoints` parts).
    pub fn new<'a>(config: impl Into<Input<'a>>) -> Result<Self, Error> {
        let _ = config.into();
        Err(Error::internal("PreparedApi::new is not written yet"))
    }

    /// Read a request (the contract's `request` object) once, to decide it many times.
    pub fn parse_request<'a>(&self, request: impl Into<Input<'a>>) -> Result<Request, Error> {
        let _ = request.into();
        Err(Error::internal("parse_request is not written yet"))
    }

    /// The full decision, with its explanation.
    pub fn authorize(&self, request: &Request) -> Decision {
        let _ = request;
        unreachable_decision()
    }

    /// The same decision without building the explanation (`explanation` is empty): the fast path.
    pub fn decide(&self, request: &Request) -> Decision {
        self.authorize(request)
    }

    /// Read and decide one request.
    pub fn authorize_input<'a>(&self, request: impl Into<Input<'a>>) -> Result<Decision, Error> {
        let request = self.parse_request(request)?;
        Ok(self.authorize(&request))
    }
}

fn unreachable_decision() -> Decision {
    Decision {
        decision: crate::response::Outcome::ImplicitDeny,
        status_code: 403,
        response_type: None,
        error_type: None,
        message: None,
        body: None,
        method_arn: None,
        caller: String::from("anonymous"),
        authorizer_invoked: false,
        decisive: Vec::new(),
        explanation: Vec::new(),
        warnings: Vec::new(),
    }
}
