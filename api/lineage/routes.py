"""Placeholder: filled in by issue 8."""

from fastapi import APIRouter

router = APIRouter()
router_v1 = APIRouter()
