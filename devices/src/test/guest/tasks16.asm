; Test guest: task switches through 16-bit TSSs (the 44-byte 286 layout, SDM vol. 3, 7.6). JMP from
; the 32-bit main task to a 16-bit task, which takes its ES from its own LDT and CALLs a second
; 16-bit task (the caller's state saved in the 16-bit layout: the low words only); IRET back along
; the back link with NT; JMP back to the 32-bit task; CALL and INT through task gates; a #GP
; through a task gate pushes its error code as a word on the 16-bit task's stack; #TS for a 16-bit
; TSS below the minimum limit of 0x2B; the switches clear DR7's local breakpoint enables (SDM
; vol. 3, 17.2.4). The 16-bit tasks run 32-bit code from a segment based at the image, so that
; their IP fits the TSS's 16 bits, on a 16-bit stack segment (the upper halves of the registers
; are undefined after a 16-bit switch, SDM 7.6, and are not printed). Each task prints its TR,
; LDTR, NT and back link; faults print their vector, error code and saved EIP relative to the
; instruction (+0).
; Prints on port 0xE9; the test compares the output with QEMU's.
; Flat multiboot image; build: nasm -f bin tasks16.asm

        bits 32
        org 0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 0x00010000
KCODE           equ 0x08
KDATA           equ 0x10
TSS_MAIN        equ 0x18            ; 32-bit
TSS_A           equ 0x20            ; 16-bit, with an LDT
LDT_A           equ 0x28
TSS_B           equ 0x30            ; 16-bit
TASK_GATE_B     equ 0x38
TSS_C           equ 0x40            ; 16-bit, the #GP task
TSS_SMALL       equ 0x48            ; 16-bit, limit 0x2A: one byte short
TCODE           equ 0x50            ; 32-bit code based at the image
TSTACK          equ 0x58            ; 16-bit stack segment based at stacks16
LDT_DATA        equ 0x0C            ; entry 1 of task A's LDT
BAD_SEL         equ 0x1230          ; beyond the GDT: #GP(0x1230)
MAGIC           equ 0x16CAFE16

TSS32_EIP       equ 0x20
TSS16_LINK      equ 0x00
TSS16_IP        equ 0x0E
TSS16_FLAGS     equ 0x10
TSS16_AX        equ 0x12
TSS16_CX        equ 0x14
TSS16_DX        equ 0x16
TSS16_SP        equ 0x1A
TSS16_ES        equ 0x22
TSS16_CS        equ 0x24
TSS16_SS        equ 0x26
TSS16_DS        equ 0x28
TSS16_LDT       equ 0x2A

start:  jmp     entry
        align 4
header: dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd      header, start, image_end, bss_end, entry

%include "lib.inc"
%include "sysfaults.inc"

; INIT_TSS16 tss, selector, entry, SP: a ring-0 16-bit task running entry in TCODE on TSTACK
%macro INIT_TSS16 4
        mov     edi, gdt + %2
        mov     eax, %1
        call    set_base
        mov     word [%1 + TSS16_IP], %3 - $$
        mov     word [%1 + TSS16_FLAGS], 2
        mov     word [%1 + TSS16_SP], %4
        mov     word [%1 + TSS16_ES], KDATA
        mov     word [%1 + TSS16_CS], TCODE
        mov     word [%1 + TSS16_SS], TSTACK
        mov     word [%1 + TSS16_DS], KDATA
%endmacro

entry:
        mov     esp, stack_top
        lgdt    [gdt_pointer]
        jmp     KCODE:.flat
.flat:  mov     ax, KDATA
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        call    setup_exceptions
        mov     dword [idt + 0x40 * 8], TSS_B << 16     ; INT 0x40: task gate to TSS B
        mov     dword [idt + 0x40 * 8 + 4], 0x8500
        lidt    [idt_pointer]

        mov     edi, gdt + TSS_MAIN
        mov     eax, tss_main
        call    set_base
        mov     word [tss_main + 0x66], 104
        mov     edi, gdt + TCODE
        mov     eax, $$
        call    set_base
        mov     edi, gdt + TSTACK
        mov     eax, stacks16
        call    set_base
        INIT_TSS16 tss_a, TSS_A, task_a, 0x1000
        mov     word [tss_a + TSS16_AX], 0xA0A0
        mov     word [tss_a + TSS16_ES], LDT_DATA
        mov     word [tss_a + TSS16_LDT], LDT_A
        INIT_TSS16 tss_b, TSS_B, task_b, 0x2000
        mov     word [tss_b + TSS16_AX], 0xB0B0
        INIT_TSS16 tss_c, TSS_C, task_c, 0x3000
        mov     edi, gdt + LDT_A
        mov     eax, ldt_a
        call    set_base
        mov     edi, ldt_a + 8
        mov     eax, ldt_data
        call    set_base
        mov     dword [ldt_data], MAGIC
        mov     edi, gdt + TSS_SMALL
        mov     eax, tss_spare
        call    set_base
        mov     ax, TSS_MAIN
        ltr     ax

        PRINT   s_jmp_a
        mov     ebx, 0x12345678
        mov     eax, 0x0F                       ; L0, G0, L1, G1: breakpoints at linear 0
        mov     dr7, eax
        jmp     TSS_A:0
        call    report_main
        mov     eax, dr7                        ; the switches cleared L0 and L1
        PRINTHEX s_dr7, eax
        xor     eax, eax
        mov     dr7, eax
        mov     eax, [tss_a + TSS16_IP]
        sub     ax, a_left - $$
        movzx   eax, ax
        PRINTHEX s_a_ip, eax
        NEWLINE

        PRINT   s_call_b
        call    TSS_B:0
        call    report_main
        movzx   eax, word [tss_b + TSS16_FLAGS]
        and     eax, 0x4000
        PRINTHEX s_b_nt, eax
        NEWLINE

        PRINT   s_call_gate
        call    TASK_GATE_B:0
        call    report_main
        NEWLINE
        PRINT   s_int_gate
        int     0x40
int_next:
        call    report_main
        mov     eax, [tss_main + TSS32_EIP]
        sub     eax, int_next
        PRINTHEX s_main_eip, eax
        NEWLINE

        PRINT   s_gp_task
        mov     dword [idt + 13 * 8], TSS_C << 16       ; #GP: task gate to TSS C
        mov     dword [idt + 13 * 8 + 4], 0x8500
        mov     ax, BAD_SEL
gp_site:
        mov     es, ax
        PRINT   s_not_resumed
gp_resume:
        call    setup_exceptions
        call    report_main
        NEWLINE

        PRINT   s_small
        EXPECT  .1
        jmp     TSS_SMALL:0
.1:     NEWLINE

        PRINT   s_done
        EXIT    0

; report_task: "tr=.. ldtr=.. nt=.. link=.." for the running task, whose TSS is at ESI
report_task:
        push    eax
        str     ax
        movzx   eax, ax
        PRINTHEX s_tr, eax
        sldt    ax
        movzx   eax, ax
        PRINTHEX s_ldtr, eax
        pushfd
        pop     eax
        and     eax, 0x4000
        PRINTHEX s_nt, eax
        movzx   eax, word [esi + TSS16_LINK]
        PRINTHEX s_link, eax
        pop     eax
        ret

; type_of: the descriptor type of selector AX (LAR) in EAX
type_of:
        lar     eax, ax
        shr     eax, 8
        and     eax, 0xF
        ret

; report_main: back in the main task, its state and the types of the three TSS descriptors
report_main:
        push    esi
        mov     esi, tss_main
        PRINT   s_main
        call    report_task
        PRINTHEX s_ebx, ebx
        mov     ax, TSS_MAIN
        call    type_of
        PRINTHEX s_type_main, eax
        mov     ax, TSS_A
        call    type_of
        PRINTHEX s_type_a, eax
        mov     ax, TSS_B
        call    type_of
        PRINTHEX s_type_b, eax
        pop     esi
        ret

; report_segs: the low words of AX and SP and the segment registers of a 16-bit task (FS and GS,
; which the 16-bit TSS has no fields for, are null)
report_segs:
        push    eax
        movzx   eax, ax
        PRINTHEX s_ax, eax
        mov     eax, esp
        movzx   eax, ax
        PRINTHEX s_sp, eax
        mov     ax, cs
        movzx   eax, ax
        PRINTHEX s_cs, eax
        mov     ax, ss
        movzx   eax, ax
        PRINTHEX s_ss, eax
        mov     ax, es
        movzx   eax, ax
        PRINTHEX s_es, eax
        mov     ax, fs
        movzx   eax, ax
        PRINTHEX s_fs, eax
        mov     ax, gs
        movzx   eax, ax
        PRINTHEX s_gs, eax
        pop     eax
        ret

; The 16-bit tasks: 32-bit code in TCODE (EIP = label - $$), a 16-bit stack in TSTACK.
task_a:
        movzx   esp, sp                 ; the upper half is undefined: SS is 16-bit
        mov     esi, tss_a
        PRINT   s_task_a
        call    report_task
        call    report_segs
        mov     eax, [es:0]
        PRINTHEX s_es_value, eax
        mov     ax, TSS_MAIN
        call    type_of
        PRINTHEX s_type_main, eax
        mov     ax, TSS_A
        call    type_of
        PRINTHEX s_type_own, eax
        NEWLINE
        mov     ecx, 0xAAAA5A5A
        mov     edx, 0xBBBB2222
        mov     bx, 0xBEEF
        PRINT   s_a_calls_b
        call    TSS_B:0
        movzx   esp, sp
        movzx   ecx, cx
        movzx   edx, dx
        PRINT   s_task_a
        call    report_task
        PRINTHEX s_cx, ecx
        PRINTHEX s_dx, edx
        mov     ax, TSS_B
        call    type_of
        PRINTHEX s_type_b, eax
        NEWLINE
        jmp     TSS_MAIN:0
a_left:
        jmp     task_a

task_b:
        movzx   esp, sp                 ; the upper half is undefined: SS is 16-bit
        mov     esi, tss_b
        PRINT   s_task_b
        call    report_task
        call    report_segs
        mov     ax, TSS_A
        call    type_of
        PRINTHEX s_type_a, eax
        NEWLINE
        movzx   eax, word [esi + TSS16_LINK]
        cmp     eax, TSS_A
        jne     .back
        ; called by task A: its registers saved in the 16-bit layout, the words beside them kept
        mov     eax, [tss_a + TSS16_CX]
        PRINTHEX s_saved_cx_dx, eax
        movzx   eax, word [tss_a + 0x18]
        PRINTHEX s_saved_bx, eax
        movzx   eax, word [tss_a + TSS16_FLAGS]
        PRINTHEX s_saved_flags, eax
        NEWLINE
.back:  iret
        jmp     task_b

task_c:
        movzx   esp, sp                 ; the upper half is undefined: SS is 16-bit
        mov     esi, tss_c
        PRINT   s_task_c
        call    report_task
        movzx   eax, word [esp]
        PRINTHEX s_err, eax
        mov     eax, 0x3000
        sub     ax, sp
        movzx   eax, ax
        PRINTHEX s_pushed, eax
        mov     eax, [tss_main + TSS32_EIP]
        sub     eax, gp_site
        PRINTHEX s_main_eip, eax
        NEWLINE
        mov     dword [tss_main + TSS32_EIP], gp_resume
        add     sp, 2
        iret
        jmp     task_c

; ---------------------------------------------------------------------------------------------
        align 8
gdt:    dq      0
        dq      0x00CF9A000000FFFF      ; 0x08 code
        dq      0x00CF92000000FFFF      ; 0x10 data
        dq      0x0000890000000067      ; 0x18 32-bit TSS main
        dq      0x000081000000002B      ; 0x20 16-bit TSS A
        dq      0x000082000000000F      ; 0x28 LDT of task A (2 entries)
        dq      0x000081000000002B      ; 0x30 16-bit TSS B
        dw      0, TSS_B, 0x8500, 0     ; 0x38 task gate to TSS B
        dq      0x000081000000002B      ; 0x40 16-bit TSS C
        dq      0x000081000000002A      ; 0x48 16-bit TSS, limit too small (base filled in)
        dq      0x00409A000000FFFF      ; 0x50 32-bit code, limit 64 KiB (base filled in)
        dq      0x000092000000FFFF      ; 0x58 16-bit data, limit 64 KiB (base filled in)
gdt_end:
gdt_pointer:
        dw      gdt_end - gdt - 1
        dd      gdt
idt_pointer:
        dw      0x41 * 8 - 1
        dd      idt
        align 8
ldt_a:  dq      0
        dq      0x00409200000000FF      ; data, base ldt_data, limit 255

s_jmp_a:      db "jmp to 16-bit task a", 10, 0
s_a_calls_b:  db "task a: call to 16-bit task b", 10, 0
s_call_b:     db "call to 16-bit task b", 10, 0
s_call_gate:  db "call through a task gate", 10, 0
s_int_gate:   db "int 0x40 through a task gate", 10, 0
s_gp_task:    db "#gp through a task gate to a 16-bit task", 10, 0
s_not_resumed: db "not resumed by the #gp task", 10, 0
s_small:      db "jmp to a 16-bit tss of limit 0x2a: ", 0
s_main:       db "main: ", 0
s_task_a:     db "task a: ", 0
s_task_b:     db "task b: ", 0
s_task_c:     db "task c: ", 0
s_tr:         db "tr=", 0
s_ldtr:       db "ldtr=", 0
s_nt:         db "nt=", 0
s_link:       db "link=", 0
s_ebx:        db "ebx=", 0
s_dr7:        db "dr7=", 0
s_ax:         db "ax=", 0
s_sp:         db "sp=", 0
s_cs:         db "cs=", 0
s_ss:         db "ss=", 0
s_es:         db "es=", 0
s_fs:         db "fs=", 0
s_gs:         db "gs=", 0
s_cx:         db "cx=", 0
s_dx:         db "dx=", 0
s_es_value:   db "es:0=", 0
s_type_main:  db "type main=", 0
s_type_a:     db "type a=", 0
s_type_b:     db "type b=", 0
s_type_own:   db "type own=", 0
s_a_ip:       db "a's saved ip=+", 0
s_b_nt:       db "b's saved nt=", 0
s_saved_cx_dx: db "a's saved cx,dx=", 0
s_saved_bx:   db "bx=", 0
s_saved_flags: db "flags=", 0
s_main_eip:   db "main eip=+", 0
s_pushed:     db "pushed=", 0
s_done:       db "done", 10, 0

        align 4
image_end:

        absolute image_end
        alignb  16
idt:            resb 0x41 * 8
tss_main:       resb 104
tss_a:          resb 44
tss_b:          resb 44
tss_c:          resb 44
tss_spare:      resb 44
        alignb  4
ldt_data:       resb 256
site:           resd 1
resume:         resd 1
phase_esp:      resd 1
phase_next:     resd 1
        alignb  16
stacks16:       resb 0x3000
                resb 8192
stack_top:
bss_end:
