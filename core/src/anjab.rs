//! Job analysis (Analisis Jabatan, Anjab): what a position does, task by task.
//!
//! Each task (uraian tugas) produces an output (hasil kerja) counted in an output
//! unit (satuan hasil) and takes a standard time per unit (norma waktu, in whole
//! minutes). The volume of output is stated per day, week, month or year as the
//! Anjab document states it, and converted to a yearly volume explicitly with
//! the policy's conversion factors (see [`crate::abk`]).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ids::TaskId;
use crate::minutes::Minutes;

/// The period a task's volume is stated over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VolumePeriod {
    /// Per working day.
    Day,
    /// Per working week.
    Week,
    /// Per month.
    Month,
    /// Per year.
    Year,
}

/// A volume of output over a period, e.g. 3 reports per week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volume {
    /// Output quantity over the period (exact decimal; fractional volumes such as
    /// 0.5 per day occur in Anjab documents).
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    /// The period the quantity is stated over.
    pub per: VolumePeriod,
}

/// A task (uraian tugas) of a position.
#[doc(alias = "uraian tugas")]
#[doc(alias = "tugas pokok")]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// Unique id across the city.
    pub id: TaskId,
    /// What the task is.
    pub name: String,
    /// The output it produces (hasil kerja).
    #[doc(alias = "hasil kerja")]
    pub output: String,
    /// The unit the output is counted in (satuan hasil), e.g. "dokumen".
    #[doc(alias = "satuan hasil")]
    pub output_unit: String,
    /// Standard minutes per output unit (norma waktu).
    #[doc(alias = "norma waktu")]
    pub standard_minutes: Minutes,
    /// Workload volume (beban kerja) as stated in the Anjab.
    #[doc(alias = "beban kerja")]
    pub volume: Volume,
    /// The task group (kelompok tugas) the training report reads output by, e.g.
    /// `"surat"` or `"pelayanan perizinan"`. Optional: without it the task belongs to
    /// the group of its output unit (see [`Task::group_name`]), so tasks counted in the
    /// same unit of output form one group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

impl Task {
    /// The task's group: its `group` when given and not blank, else its output unit
    /// (trimmed), else its id.
    pub fn group_name(&self) -> &str {
        match self.group.as_deref().map(str::trim) {
            Some(g) if !g.is_empty() => g,
            _ if !self.output_unit.trim().is_empty() => self.output_unit.trim(),
            _ => self.id.as_str(),
        }
    }
}

/// A position's job analysis: the descriptive fields of the Anjab document
/// (PermenPAN-RB 1/2020) and its tasks.
#[doc(alias = "Anjab")]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JobAnalysis {
    /// Ikhtisar jabatan: a summary of the position.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// Bahan kerja: materials worked on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<String>,
    /// Perangkat kerja: tools used.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<String>,
    /// Tanggung jawab: responsibilities.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responsibilities: Vec<String>,
    /// Wewenang: authority.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authority: Vec<String>,
    /// Kondisi lingkungan kerja: working conditions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub working_conditions: Vec<String>,
    /// Risiko bahaya: hazards.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hazards: Vec<String>,
    /// Syarat jabatan: requirements (education, training, experience, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requirements: Vec<String>,
    /// The tasks.
    #[serde(default)]
    pub tasks: Vec<Task>,
}
