"""Importers for external skills frameworks (ESCO, QRSP Lombardia), used by management commands."""

from competenze.importers.base import ImportFileError, ImportResult
from competenze.importers.esco import esco_import
from competenze.importers.qrsp import qrsp_import

__all__ = ["ImportFileError", "ImportResult", "esco_import", "qrsp_import"]
