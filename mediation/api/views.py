"""Mediation API: parse with a serializer, call one selector or service, render.

The steps of a case and of a roster entry are endpoints generated from `mediation.workflow`
(`transition_endpoints`); judicial confirmation's decision (one endpoint for the two declared
outcomes), sessions, extensions and links answer what they create or decide, so they are written here.

Refusals of the services (ActionRefused) become 403/409/400 in `liaison.api.exceptions`; anything
outside the user's scope is not found (404), because every object comes from a scoped selector.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.api.common import REFUSALS, ScopedViewSet, UserFilterBackend
from liaison.api.workflow import transition_endpoints

from .. import figures, selectors, services
from ..filters import CaseFilter, MediatorFilter, RecommendationFilter
from ..models import Checkup, Lawyer, MediationCase, MediationOrganisation, Mediator, Pairing, Recommendation
from ..ranking import rank_candidates
from ..workflow import CASE, CHECKUP, PAIRING, RECOMMENDATION, ROSTER
from .serializers import (
    AdmitSerializer,
    CaseWriteSerializer,
    CheckupFiguresSerializer,
    CheckupSerializer,
    CheckupWriteSerializer,
    ConfirmationDecisionSerializer,
    ExtensionSerializer,
    ExtensionWriteSerializer,
    LawyerSerializer,
    LawyerWriteSerializer,
    MediationCaseDetailSerializer,
    MediationCaseSerializer,
    MediationOrganisationSerializer,
    MediatorLinkSerializer,
    MediatorLinkWriteSerializer,
    MediatorSerializer,
    MediatorWriteSerializer,
    OrganisationWriteSerializer,
    PairingSerializer,
    RankingSerializer,
    RecommendationSerializer,
    RecommendationWriteSerializer,
    SessionSerializer,
    SessionWriteSerializer,
)

# --- organisations ---------------------------------------------------------------------------------

ORGANISATION = {200: MediationOrganisationSerializer, **REFUSALS}


@extend_schema_view(
    list=extend_schema(summary="调解组织列表"),
    retrieve=extend_schema(
        summary="调解组织详情（设立单位、吸纳法院及文号）",
        responses={200: MediationOrganisationSerializer, 404: REFUSALS[404]},
    ),
    create=extend_schema(
        summary="登记调解组织（设立它的商会或工商联）",
        request=OrganisationWriteSerializer,
        responses={201: MediationOrganisationSerializer, **REFUSALS},
    ),
)
class MediationOrganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = MediationOrganisationSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[MediationOrganisation]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return MediationOrganisation.objects.none()
        return selectors.organisation_list(user=self.request.user)

    def get_object(self) -> MediationOrganisation:
        return selectors.organisation_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        organisation = selectors.organisation_get(user=self.request.user, pk=pk)
        return Response(
            MediationOrganisationSerializer(organisation, context=self.get_serializer_context()).data, status=code
        )

    def create(self, request: Request) -> Response:
        payload = self._payload(OrganisationWriteSerializer)
        organisation = services.organisation_register(actor=request.user, data=payload.as_data())
        return self._detail(organisation.pk, status.HTTP_201_CREATED)

    @extend_schema(summary="吸纳为本院特邀调解组织（法院）", request=AdmitSerializer, responses=ORGANISATION)
    @action(detail=True, methods=["post"])
    def admit(self, request: Request, pk: str | None = None) -> Response:
        organisation = self.get_object()
        payload = self._payload(AdmitSerializer)
        services.organisation_admit(actor=request.user, organisation=organisation, **payload.validated_data)
        return self._detail(organisation.pk)


# --- mediators -------------------------------------------------------------------------------------

MEDIATOR = {200: MediatorSerializer, **REFUSALS}


@extend_schema_view(
    list=extend_schema(summary="特邀调解员名册（法院、调解组织、专长、状态、任期届满筛选；含办案统计）"),
    retrieve=extend_schema(summary="调解员详情", responses={200: MediatorSerializer, 404: REFUSALS[404]}),
    create=extend_schema(
        summary="聘任调解员（列入法院名册）",
        request=MediatorWriteSerializer,
        responses={201: MediatorSerializer, **REFUSALS},
    ),
    partial_update=extend_schema(
        summary="修改调解员信息（任期通过续聘变更）", request=MediatorWriteSerializer, responses=MEDIATOR
    ),
)
@transition_endpoints(ROSTER, detail=MediatorSerializer)
class MediatorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    subject = "mediator"
    serializer_class = MediatorSerializer
    filter_backends = [UserFilterBackend]
    filterset_class = MediatorFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Mediator]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Mediator.objects.none()
        return selectors.mediator_list(user=self.request.user)

    def get_object(self) -> Mediator:
        return selectors.mediator_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        mediator = selectors.mediator_get(user=self.request.user, pk=pk)
        return Response(MediatorSerializer(mediator, context=self.get_serializer_context()).data, status=code)

    def create(self, request: Request) -> Response:
        payload = self._payload(MediatorWriteSerializer)
        mediator = services.mediator_appoint(
            actor=request.user,
            organisation=payload.validated_data["organisation"],
            court=payload.validated_data["court"],
            data=payload.as_data(),
        )
        return self._detail(mediator.pk, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        mediator = self.get_object()
        payload = MediatorWriteSerializer(
            mediator, data=request.data, partial=True, context=self.get_serializer_context()
        )
        payload.is_valid(raise_exception=True)
        services.mediator_update(actor=request.user, mediator=mediator, data=payload.as_data())
        return self._detail(mediator.pk)

    @extend_schema(
        methods=["GET"],
        summary="登记的利害关系",
        request=None,
        responses={200: MediatorLinkSerializer(many=True), 404: REFUSALS[404]},
    )
    @extend_schema(
        methods=["POST"],
        summary="登记利害关系（涉及该当事人的案件不再推荐）",
        request=MediatorLinkWriteSerializer,
        responses={201: MediatorLinkSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def links(self, request: Request, pk: str | None = None) -> Response:
        mediator = self.get_object()
        if request.method == "POST":
            payload = self._payload(MediatorLinkWriteSerializer, mediator=mediator)
            link = services.mediator_link_add(actor=request.user, mediator=mediator, **payload.validated_data)
            return Response(MediatorLinkSerializer(link).data, status=status.HTTP_201_CREATED)
        return Response(MediatorLinkSerializer(selectors.mediator_links(mediator), many=True).data)


# --- cases -----------------------------------------------------------------------------------------

DETAIL = {200: MediationCaseDetailSerializer, **REFUSALS}


def _transition_schema(text: str, request: type[serializers.Serializer] | None = None) -> Callable:
    """The schema of an action: its request body and the case as it is afterwards."""
    return extend_schema(summary=text, request=request, responses=DETAIL)


@extend_schema_view(
    list=extend_schema(summary="调解案件列表（工作队列、筛选、检索、排序）"),
    retrieve=extend_schema(summary="调解案件详情（含当前用户可办理的操作）", responses=DETAIL),
    create=extend_schema(
        summary="登记调解案件（法院委派、委托，或商会受理申请）",
        request=CaseWriteSerializer,
        responses={201: MediationCaseDetailSerializer, **REFUSALS},
    ),
)
@transition_endpoints(CASE, detail=MediationCaseDetailSerializer)
class MediationCaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    subject = "case"
    filter_backends = [UserFilterBackend]
    filterset_class = CaseFilter

    def get_queryset(self) -> QuerySet[MediationCase]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return MediationCase.objects.none()
        return selectors.case_list(user=self.request.user)

    def get_object(self) -> MediationCase:
        return selectors.case_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_serializer_class(self) -> type[serializers.Serializer]:
        # allowed_actions costs queries per case, so lists leave it out.
        return MediationCaseSerializer if self.action == "list" else MediationCaseDetailSerializer

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        case = selectors.case_get(user=self.request.user, pk=pk)
        return Response(MediationCaseDetailSerializer(case, context=self.get_serializer_context()).data, status=code)

    def create(self, request: Request) -> Response:
        payload = self._payload(CaseWriteSerializer)
        case = services.case_refer(actor=request.user, data=payload.as_data())
        return self._detail(case.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="推荐调解员：排序的候选人，以及不予推荐者和理由",
        request=None,
        responses={200: RankingSerializer, 404: REFUSALS[404]},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def candidates(self, request: Request, pk: str | None = None) -> Response:
        ranking = rank_candidates(self.get_object())
        return Response(RankingSerializer({"candidates": ranking.candidates, "excluded": ranking.excluded}).data)

    @extend_schema(
        methods=["GET"],
        summary="调解安排与记录",
        request=None,
        responses={200: SessionSerializer(many=True), 404: REFUSALS[404]},
    )
    @extend_schema(
        methods=["POST"],
        summary="安排或记录调解（首次安排即进入调解中）",
        request=SessionWriteSerializer,
        responses={201: SessionSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def sessions(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        if request.method == "POST":
            payload = self._payload(SessionWriteSerializer, case=case)
            session = services.session_add(actor=request.user, case=case, **payload.validated_data)
            return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)
        return Response(SessionSerializer(selectors.case_sessions(case), many=True).data)

    @extend_schema(
        summary="延长调解期限（须记录双方当事人同意）",
        request=ExtensionWriteSerializer,
        responses={201: ExtensionSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        payload = self._payload(ExtensionWriteSerializer, case=case)
        extension = services.case_extend(actor=request.user, case=case, **payload.validated_data)
        return Response(ExtensionSerializer(extension).data, status=status.HTTP_201_CREATED)

    @_transition_schema("司法确认审查（法院：确认或不予确认）", ConfirmationDecisionSerializer)
    @action(detail=True, methods=["post"], url_path="decide-confirmation")
    def decide_confirmation(self, request: Request, pk: str | None = None) -> Response:
        return self._act(services.confirmation_decide, ConfirmationDecisionSerializer)


# --- recommendations -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="推荐人选（按类别、状态、机制、接收单位、任期届满筛选）"),
    retrieve=extend_schema(summary="推荐人选详情", responses={200: RecommendationSerializer, 404: REFUSALS[404]}),
    create=extend_schema(
        summary="推荐人选（推荐单位；接收单位须在机制规定的工作日内决定）",
        request=RecommendationWriteSerializer,
        responses={201: RecommendationSerializer, **REFUSALS},
    ),
)
@transition_endpoints(RECOMMENDATION, detail=RecommendationSerializer)
class RecommendationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    subject = "recommendation"
    serializer_class = RecommendationSerializer
    filter_backends = [UserFilterBackend]
    filterset_class = RecommendationFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Recommendation]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Recommendation.objects.none()
        return selectors.recommendation_list(user=self.request.user)

    def get_object(self) -> Recommendation:
        return selectors.recommendation_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        recommendation = selectors.recommendation_get(user=self.request.user, pk=pk)
        return Response(
            RecommendationSerializer(recommendation, context=self.get_serializer_context()).data, status=code
        )

    def create(self, request: Request) -> Response:
        payload = self._payload(RecommendationWriteSerializer)
        recommendation = services.recommendation_file(
            actor=request.user, mechanism=payload.validated_data["mechanism"], data=payload.as_data()
        )
        return self._detail(recommendation.pk, status.HTTP_201_CREATED)


# --- pairings and legal check-ups ------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="法治体检与法律咨询"),
    retrieve=extend_schema(summary="法治体检详情", responses={200: CheckupSerializer, 404: REFUSALS[404]}),
    create=extend_schema(
        summary="登记法治体检申请（与律所结对的商会）",
        request=CheckupWriteSerializer,
        responses={201: CheckupSerializer, **REFUSALS},
    ),
)
@transition_endpoints(CHECKUP, detail=CheckupSerializer)
class CheckupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    subject = "checkup"
    serializer_class = CheckupSerializer
    filter_backends: list = []
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Checkup]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Checkup.objects.none()
        return selectors.checkup_list(user=self.request.user)

    def get_object(self) -> Checkup:
        return selectors.checkup_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        checkup = selectors.checkup_get(user=self.request.user, pk=pk)
        return Response(CheckupSerializer(checkup, context=self.get_serializer_context()).data, status=code)

    def create(self, request: Request) -> Response:
        payload = self._payload(CheckupWriteSerializer)
        checkup = services.checkup_file(
            actor=request.user, mechanism=payload.validated_data["mechanism"], data=payload.as_data()
        )
        return self._detail(checkup.pk, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="律所商会结对"),
    retrieve=extend_schema(summary="结对详情", responses={200: PairingSerializer, 404: REFUSALS[404]}),
)
@transition_endpoints(PAIRING, detail=PairingSerializer)
class PairingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    subject = "pairing"
    serializer_class = PairingSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Pairing]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Pairing.objects.none()
        return selectors.pairing_list(user=self.request.user).order_by("pk")

    def get_object(self) -> Pairing:
        return selectors.pairing_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        pairing = selectors.pairing_get(user=self.request.user, pk=pk)
        return Response(PairingSerializer(pairing, context=self.get_serializer_context()).data, status=code)


@extend_schema_view(
    lawyers=extend_schema(
        methods=["GET"],
        summary="律师事务所的律师（按机制）",
        responses={200: LawyerSerializer(many=True), 404: REFUSALS[404]},
    )
)
class FirmViewSet(ScopedViewSet):
    """A law firm as a party of one mechanism (its id is that place), and its lawyers."""

    subject = "firm"
    serializer_class = LawyerSerializer
    filter_backends: list = []
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Lawyer.objects.none()
        return selectors.firm_list(user=self.request.user)

    @extend_schema(
        methods=["POST"],
        summary="登记律师（司法局或律所本身）",
        request=LawyerWriteSerializer,
        responses={201: LawyerSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def lawyers(self, request: Request, pk: int) -> Response:
        firm = selectors.firm_get(user=request.user, pk=pk)
        if request.method == "GET":
            return Response(LawyerSerializer(selectors.firm_lawyers(firm), many=True).data)
        payload = self._payload(LawyerWriteSerializer)
        lawyer = services.lawyer_add(
            actor=request.user, mechanism=firm.mechanism, firm=firm.organization, **payload.validated_data
        )
        return Response(LawyerSerializer(lawyer).data, status=status.HTTP_201_CREATED)


class CheckupFiguresView(APIView):
    """Legal check-ups per pairing and per firm, over the check-ups the user may see."""

    @extend_schema(summary="法治体检统计（按结对、按律所）", responses={200: CheckupFiguresSerializer})
    def get(self, request: Request) -> Response:
        return Response(CheckupFiguresSerializer(figures.checkup_figures(user=request.user)).data)
