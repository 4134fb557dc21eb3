//! Measurement only, never shipped: built with `--features probes` by `node scripts/build.mjs --probes` into
//! `dist-probes/`, for `bench/floor.mjs` (`npm run bench:floor`). It splits a call of `Api.decide` into what it
//! costs with no deciding at all (the request crossing in, a decision record crossing out) and what each stage
//! inside the module costs (reading the request, deciding, writing the record), so that the README's account
//! of where a call's time goes is measured rather than estimated.

use super::{read_input, record_or_json, Api, Failure};
use wasm_bindgen::prelude::*;

/// A decision's record, kept inside the module so that answering it back needs no copy in.
#[wasm_bindgen]
pub struct ProbeRecord(String);

/// The stage of a decision [`Api::probe_stage`] repeats.
enum Stage {
    Read,
    Decide,
    Write,
}

#[wasm_bindgen(js_class = Api)]
impl Api {
    /// The record `decide` answers for `request`, kept for [`Api::probe_crossing`].
    #[wasm_bindgen(js_name = probeRecord)]
    pub fn probe_record(&self, request: &JsValue) -> Result<ProbeRecord, Failure> {
        let input = read_input(request, "request")?;
        let request = self.inner.parse_request(input.input())?;
        Ok(ProbeRecord(record_or_json(&self.inner.decide(&request)?)))
    }

    /// A call of `decide` with nothing decided: `request` is read into the module as `decide` reads it, and
    /// `record` is answered.
    #[wasm_bindgen(js_name = probeCrossing)]
    pub fn probe_crossing(&self, request: &JsValue, record: &ProbeRecord) -> Result<String, Failure> {
        let input = read_input(request, "request")?;
        std::hint::black_box(&input);
        Ok(record.0.clone())
    }

    /// Run one stage of deciding `request` `rounds` times inside the module (`read`, `decide` or `write`),
    /// and return a number that depends on every round, so none is optimised away.
    #[wasm_bindgen(js_name = probeStage)]
    pub fn probe_stage(&self, request: &JsValue, stage: &str, rounds: u32) -> Result<u32, Failure> {
        let stage = match stage {
            "read" => Stage::Read,
            "decide" => Stage::Decide,
            "write" => Stage::Write,
            other => {
                return Err(apigw_authz::Error::invalid_argument(format!(
                    "unknown stage `{other}`, expected `read`, `decide` or `write`"
                ))
                .into())
            }
        };
        let input = read_input(request, "request")?;
        let parsed = self.inner.parse_request(input.input())?;
        let decision = self.inner.decide(&parsed)?;
        let mut sink = 0u32;
        for _ in 0..rounds {
            let n = match stage {
                Stage::Read => self.inner.parse_request(std::hint::black_box(input.input()))?.path.len(),
                Stage::Decide => usize::from(self.inner.decide(std::hint::black_box(&parsed))?.status_code),
                Stage::Write => record_or_json(std::hint::black_box(&decision)).len(),
            };
            sink = sink.wrapping_add(n as u32);
        }
        Ok(sink)
    }
}
